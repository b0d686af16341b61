import { ArchiveUnavailableError } from '@sms/archive';
import type { ErrorBody } from '@sms/contracts';
import type { Response } from 'express';
import { ApiError } from './api-error';
import { archiveUnavailable } from './archive-unavailable';

/**
 * The one place that writes error bodies. Body-parser's own errors are translated into the
 * gateway's codes; anything unexpected becomes a 500 without internals, and is returned so the
 * caller can log it once.
 */
export function sendError(
  res: Response,
  error: unknown,
  requestId: string,
): { code: number; unexpected?: unknown } {
  const apiError = toApiError(error);
  const body: ErrorBody = {
    code: apiError.code,
    message: apiError.message,
    ...(apiError.field !== undefined && { field: apiError.field }),
    requestId,
  };
  if (apiError.retryAfterSeconds !== undefined)
    res.setHeader('Retry-After', String(apiError.retryAfterSeconds));
  res.status(apiError.httpStatus).json(apiError.details ? { ...body, ...apiError.details } : body);
  return apiError.code === 5000 ? { code: 5000, unexpected: error } : { code: apiError.code };
}

/**
 * The `ApiError` an error stands for: itself, the archive's outage (5031), body-parser's faults in
 * the gateway's codes, or 5000.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ArchiveUnavailableError) return archiveUnavailable();
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new ApiError(4130);
  if (type === 'entity.parse.failed') return new ApiError(4007, 'the body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new ApiError(4000, 'the body must be UTF-8 JSON');
  }
  // Express's router could not percent-decode a path parameter.
  if (error instanceof URIError) return new ApiError(4040, 'the path is not valid percent-encoding');
  // Any other fault body-parser lays on the caller (a Content-Encoding that does not decode, a
  // body cut short): http-errors marks those as 4xx and safe to expose.
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError(4007, 'the body could not be read');
  }
  return new ApiError(5000);
}
