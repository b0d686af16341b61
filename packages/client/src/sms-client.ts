import { randomUUID } from 'node:crypto';
import type { AcceptedMessage, BatchAnswer, MessageStatus, ReferenceLookup, SmsMessage } from './api-types';
import { parseRetryAfter } from './retry-after';
import {
  type AttemptOutcome,
  DEFAULT_RETRY,
  isRetryable,
  type RetryOptions,
  retryDelayMs,
} from './retry-policy';
import { SmsClientError, type SmsErrorCode } from './sms-client-error';

export interface SmsClientOptions {
  /** The API's base URL, e.g. `https://sms.internal.example`. */
  readonly baseUrl: string;
  /** The client's API key, sent as `Authorization: Bearer <key>`. */
  readonly apiKey: string;
  /** Every call's total time, retries and their waits included, in ms. @defaultValue 30000 */
  readonly deadlineMs?: number;
  /** One request's time before it counts as unanswered (and is retried), in ms. @defaultValue 10000 */
  readonly attemptTimeoutMs?: number;
  readonly retry?: RetryOptions;
  /** For tests and instrumentation. @defaultValue the global `fetch` */
  readonly fetch?: typeof fetch;
  /** The jitter's source, in [0, 1). @defaultValue `Math.random` */
  readonly random?: () => number;
}

/** Per call. */
export interface CallOptions {
  /** This call's total time, in ms. @defaultValue the client's `deadlineMs` */
  readonly deadlineMs?: number;
  /** Ends the call at once; it rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface SendOptions extends CallOptions {
  /**
   * The key that makes a repeat of this send answer the first one's message instead of making
   * a second; sent on each of the call's retries. Give your own to make repeats of your own
   * (after a crash, say) safe as well. @defaultValue a random UUID per call
   */
  readonly idempotencyKey?: string;
}

interface Request {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
  readonly options: CallOptions;
}

interface Failure {
  readonly outcome: AttemptOutcome;
  readonly error: SmsClientError;
}

const MESSAGES_PATH = '/v1/sms';

/**
 * The gateway's API for an internal application: every call retries what the gateway says can be
 * retried (docs/errors.md) within a total deadline, and fails with an `SmsClientError`.
 */
export class SmsClient {
  readonly #baseUrl: string;
  readonly #authorization: string;
  readonly #deadlineMs: number;
  readonly #attemptTimeoutMs: number;
  readonly #retry: Required<RetryOptions>;
  readonly #fetch: typeof fetch;
  readonly #random: () => number;

  constructor(options: SmsClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#authorization = `Bearer ${options.apiKey}`;
    this.#deadlineMs = options.deadlineMs ?? 30_000;
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#fetch = options.fetch ?? fetch;
    this.#random = options.random ?? Math.random;
  }

  /** `POST /v1/sms`: resolves once the gateway has stored the message (202). */
  send(message: SmsMessage, options: SendOptions = {}): Promise<AcceptedMessage> {
    const idempotencyKey = options.idempotencyKey ?? randomUUID();
    return this.#call({ method: 'POST', path: MESSAGES_PATH, body: message, idempotencyKey, options });
  }

  /**
   * `POST /v1/sms/batch`: resolves when at least one message was accepted, with each message's
   * acceptance or error in order; rejects with 4012 when none was valid (`error.body` says why).
   */
  sendBatch(messages: readonly SmsMessage[], options: SendOptions = {}): Promise<BatchAnswer> {
    const idempotencyKey = options.idempotencyKey ?? randomUUID();
    return this.#call({
      method: 'POST',
      path: `${MESSAGES_PATH}/batch`,
      body: { messages },
      idempotencyKey,
      options,
    });
  }

  /** `GET /v1/sms/:id`: the message's status; 4041 when unknown. */
  get(id: string, options: CallOptions = {}): Promise<MessageStatus> {
    return this.#call({ method: 'GET', path: `${MESSAGES_PATH}/${encodeURIComponent(id)}`, options });
  }

  /**
   * `DELETE /v1/sms/:id`: the message, now `canceled`; 4091 or 4092 when too late. A cancel
   * retried after a lost answer may be told 4092, having canceled the message the first time.
   */
  cancel(id: string, options: CallOptions = {}): Promise<MessageStatus> {
    return this.#call({ method: 'DELETE', path: `${MESSAGES_PATH}/${encodeURIComponent(id)}`, options });
  }

  /** `GET /v1/sms?reference=`: the client's messages under `reference`, most recent first. */
  async findByReference(reference: string, options: CallOptions = {}): Promise<MessageStatus[]> {
    const path = `${MESSAGES_PATH}?reference=${encodeURIComponent(reference)}`;
    const lookup = await this.#call<ReferenceLookup>({ method: 'GET', path, options });
    return lookup.messages;
  }

  async #call<T>(request: Request): Promise<T> {
    const deadlineMs = request.options.deadlineMs ?? this.#deadlineMs;
    const deadline = Date.now() + deadlineMs;
    const userSignal = request.options.signal;
    // What the gateway last said: an attempt the deadline cuts short has no answer of its own.
    let lastAnswer: SmsClientError | undefined;
    for (let attempt = 1; ; attempt++) {
      userSignal?.throwIfAborted();
      const result = await this.#attempt<T>(request, attempt, deadline);
      if (!('outcome' in result)) return result.value;
      const { outcome, error } = result;
      if (outcome.kind === 'answer') lastAnswer = error;
      if (!isRetryable(outcome) || attempt >= this.#retry.maxAttempts) throw error;
      if (Date.now() >= deadline) throw this.#pastDeadline(deadlineMs, attempt, lastAnswer ?? error);
      const retryAfterMs = outcome.kind === 'answer' ? outcome.retryAfterMs : undefined;
      // A gateway that asks for longer than the call has left (4291: until midnight UTC) has
      // answered: its refusal says more than "deadline exceeded".
      if (retryAfterMs !== undefined && Date.now() + retryAfterMs >= deadline) throw error;
      const delay = retryDelayMs(attempt, retryAfterMs, this.#retry, this.#random);
      if (Date.now() + delay >= deadline) {
        throw this.#pastDeadline(deadlineMs, attempt, lastAnswer ?? error);
      }
      await waitOrAbort(delay, userSignal);
    }
  }

  async #attempt<T>(request: Request, attempt: number, deadline: number): Promise<{ value: T } | Failure> {
    const timeoutMs = Math.max(1, Math.min(this.#attemptTimeoutMs, deadline - Date.now()));
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.options.signal ? AbortSignal.any([timeout, request.options.signal]) : timeout;
    const headers: Record<string, string> = {
      authorization: this.#authorization,
      accept: 'application/json',
    };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(this.#baseUrl + request.path, {
        method: request.method,
        headers,
        ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
        signal,
      });
      text = await response.text();
    } catch (cause) {
      request.options.signal?.throwIfAborted();
      const reason = timeout.aborted ? `no answer within ${Math.round(timeoutMs)} ms` : describe(cause);
      return {
        outcome: { kind: 'no-answer' },
        error: new SmsClientError({
          code: 'NETWORK_ERROR',
          message: `${request.method} ${request.path}: ${reason}`,
          attempts: attempt,
          cause,
        }),
      };
    }
    const body = parseJson(text);
    if (response.ok && body !== undefined) return { value: body as T };
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    return {
      outcome: { kind: 'answer', status: response.status, retryAfterMs },
      error: errorOfAnswer(request, response, body, attempt, retryAfterMs),
    };
  }

  #pastDeadline(deadlineMs: number, attempts: number, last: SmsClientError): SmsClientError {
    return new SmsClientError({
      code: 'DEADLINE_EXCEEDED',
      message: `gave up within the deadline of ${deadlineMs} ms after ${attempts} attempts; the last: ${last.message}`,
      ...(last.status !== undefined && { status: last.status }),
      ...(last.requestId !== undefined && { requestId: last.requestId }),
      ...(last.retryAfterMs !== undefined && { retryAfterMs: last.retryAfterMs }),
      attempts,
      cause: last,
    });
  }
}

function errorOfAnswer(
  request: Request,
  response: Response,
  body: unknown,
  attempts: number,
  retryAfterMs: number | undefined,
): SmsClientError {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const common = {
    status: response.status,
    attempts,
    body,
    ...(requestId !== undefined && { requestId }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  };
  if (isErrorBody(body)) {
    return new SmsClientError({
      ...common,
      code: body.code as SmsErrorCode,
      message: body.message,
      ...(typeof body.field === 'string' && { field: body.field }),
    });
  }
  return new SmsClientError({
    ...common,
    code: 'UNEXPECTED_ANSWER',
    message: `${request.method} ${request.path}: HTTP ${response.status} without the gateway's error body`,
  });
}

function isErrorBody(body: unknown): body is { code: number; message: string; field?: unknown } {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { code?: unknown }).code === 'number' &&
    typeof (body as { message?: unknown }).message === 'string'
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}

function waitOrAbort(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
