/** How a call retries; every field has a default. */
export interface RetryOptions {
  /** Requests a call makes at most, the first included. @defaultValue 6 */
  readonly maxAttempts?: number;
  /** The first retry's delay ceiling, doubled on each retry, in ms. @defaultValue 200 */
  readonly baseDelayMs?: number;
  /** The largest delay ceiling, in ms (a longer `Retry-After` is still honoured). @defaultValue 5000 */
  readonly maxDelayMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 };

/** What one attempt ended with, as far as retrying is concerned. */
export type AttemptOutcome =
  | { readonly kind: 'answer'; readonly status: number; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'no-answer' };

/**
 * Which failures are worth the same request again (docs/errors.md): every 503 (5030: nothing
 * was stored; 5031: the archive is away for now; a proxy's 503), a 429 only when the gateway
 * said when (`Retry-After`: 4290 after a second, 4291 at midnight UTC, which the deadline
 * usually forbids), and no answer at all. Never another 4xx: the same request would be refused
 * again. A repeated send is safe because each send carries one Idempotency-Key on every attempt.
 */
export function isRetryable(outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'no-answer') return true;
  if (outcome.status === 503) return true;
  return outcome.status === 429 && outcome.retryAfterMs !== undefined;
}

/**
 * The wait before retry `retry` (1 for the first): "full jitter" over a ceiling doubling from
 * `baseDelayMs` up to `maxDelayMs`, so that clients failed together do not come back together,
 * and never less than the gateway's `Retry-After`.
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  options: Required<RetryOptions>,
  random: () => number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}
