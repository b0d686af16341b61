export interface RetryDelaySettings {
  /** Delay before the first retry, in ms; it doubles with each attempt. */
  readonly baseMs: number;
  /** Longest delay, in ms. */
  readonly maxMs: number;
}

/**
 * Exponential backoff with full jitter: a random delay between 0 and base * 2^(n-1), capped.
 * Full jitter spreads the retries of a burst of failures (an outage) over the whole window
 * instead of sending them back to Kaarai in waves.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * A `Retry-After` from Kaarai is a floor: retrying earlier would only be refused again.
 */
export function retryDelay(
  attemptsMade: number,
  settings: RetryDelaySettings,
  retryAfterMs = 0,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attemptsMade - 1);
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.min(exponent, 40));
  const jittered = Math.floor(random() * ceiling);
  return Math.min(settings.maxMs, Math.max(jittered, retryAfterMs));
}
