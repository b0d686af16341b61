import { type FailureOutcome, outcomeOfAnswer } from './exit-codes';

/** Why a request was not done, in the terms of the API's error body where there is one. */
export interface Failure {
  readonly outcome: FailureOutcome;
  readonly message: string;
  /** HTTP status; absent when there was no answer. */
  readonly status?: number;
  /** The gateway's code (`API_ERROR_CODES`). */
  readonly code?: number;
  /** The request field at fault. */
  readonly field?: string;
  /** The `X-Request-Id` to quote to whoever reads the API's logs. */
  readonly requestId?: string;
  /** Seconds the API asked to wait before trying again (`Retry-After`). */
  readonly retryAfter?: number;
}

export type Answer =
  | {
      readonly ok: true;
      readonly status: number;
      /** The parsed JSON; undefined for an empty body (204). */
      readonly body: unknown;
      /** `Idempotency-Replayed: true`: an earlier request with the same key made the message. */
      readonly replayed: boolean;
    }
  | { readonly ok: false; readonly failure: Failure };

/** What `readAnswer` needs of a `Response`, so that it can be tested without one. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly text: string;
}

/** Turns an HTTP answer into the result or the failure, by the API's error body (`{code, message, field, requestId}`). */
export function readAnswer({ status, headers, text }: RawAnswer): Answer {
  const body = parseJson(text);
  if (status >= 200 && status < 300) {
    if (body === NOT_JSON) {
      // Something answers at --url, but not the gateway: a retry would not help.
      return failure({
        outcome: 'refused',
        status,
        message: `HTTP ${status} with a body that is not JSON: is --url the gateway's API?`,
      });
    }
    return { ok: true, status, body, replayed: headers.get('idempotency-replayed') === 'true' };
  }

  const error = isObject(body) ? body : {};
  const code = typeof error.code === 'number' ? error.code : undefined;
  const requestId = stringOf(error.requestId) ?? headers.get('x-request-id') ?? undefined;
  const field = stringOf(error.field);
  const retryAfter = Number(headers.get('retry-after') ?? Number.NaN);
  return failure({
    outcome: outcomeOfAnswer(status, code),
    status,
    message:
      stringOf(error.message) ??
      `HTTP ${status} without the gateway's error body${status < 500 ? ": is --url the gateway's API?" : ''}`,
    ...(code !== undefined && { code }),
    ...(field !== undefined && { field }),
    ...(requestId !== undefined && { requestId }),
    ...(Number.isInteger(retryAfter) && retryAfter >= 0 && { retryAfter }),
  });
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function failure(value: Failure): Answer {
  return { ok: false, failure: value };
}
