import { API_ERROR_CODES, type ApiErrorCode } from '@sms/contracts';

/** Seconds a caller should wait after a 503 before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/** An error the caller is meant to read: a stable code, its HTTP status and a clear message. */
export class ApiError extends Error {
  readonly httpStatus: number;
  /** More members of the error body, after the standard ones (a batch's per-message answers). */
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: ApiErrorCode,
    message: string = API_ERROR_CODES[code].text,
    readonly field?: string,
    /** Seconds the caller should wait before trying again (503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = this.constructor.name;
    this.httpStatus = API_ERROR_CODES[code].httpStatus;
  }
}
