import type { GatewayErrorCode } from './api-types';

/**
 * Codes of failures that had no gateway answer to carry a code: no answer at all after the
 * last attempt, the total deadline passed, or an answer not in the gateway's error form (a
 * proxy's page, Node's bare 408).
 */
export const CLIENT_ERROR_CODES = ['NETWORK_ERROR', 'DEADLINE_EXCEEDED', 'UNEXPECTED_ANSWER'] as const;

export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** A gateway code (a number, as in docs/errors.md) or one of `CLIENT_ERROR_CODES`. */
export type SmsErrorCode = GatewayErrorCode | ClientErrorCode;

export interface SmsClientErrorDetails {
  readonly code: SmsErrorCode;
  readonly message: string;
  /** The HTTP status of the last answer; absent when there was none. */
  readonly status?: number;
  /** The request field, header or parameter at fault, as the gateway named it. */
  readonly field?: string;
  /** The gateway's `X-Request-Id` of the last answer, to find the request in its logs. */
  readonly requestId?: string;
  /** The last answer's `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number;
  /** The whole error body: a batch refused with 4012 lists each message's error in it. */
  readonly body?: unknown;
  /** Requests made for the call, retries included. */
  readonly attempts: number;
  readonly cause?: unknown;
}

/** Every failure of a client call: a gateway refusal, or no usable answer in time. */
export class SmsClientError extends Error {
  readonly code: SmsErrorCode;
  readonly status: number | undefined;
  readonly field: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly body: unknown;
  readonly attempts: number;

  constructor(details: SmsClientErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = this.constructor.name;
    this.code = details.code;
    this.status = details.status;
    this.field = details.field;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    this.body = details.body;
    this.attempts = details.attempts;
  }
}

/**
 * Whether `error` is an `SmsClientError`, with one of `codes` when any are given:
 * `if (isSmsClientError(error, 4091, 4092)) ...` narrows `error.code` to those two.
 */
export function isSmsClientError<const C extends SmsErrorCode>(
  error: unknown,
  ...codes: readonly C[]
): error is SmsClientError & { readonly code: C } {
  return error instanceof SmsClientError && (codes.length === 0 || codes.includes(error.code as C));
}
