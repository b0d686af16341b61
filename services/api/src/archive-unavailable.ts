import { ApiError, RETRY_AFTER_SECONDS } from './api-error';

/**
 * 5031: Redis no longer holds the message and PostgreSQL, which archives it, could not be asked.
 * Never a 404: the message may well be there.
 */
export const archiveUnavailable = () =>
  new ApiError(5031, 'the status archive is unavailable', undefined, RETRY_AFTER_SECONDS);
