export { createLogger, REDACTED_LOG_PATHS } from './create-logger';
export { type RateLimitedLogOptions, rateLimitedLog } from './rate-limited-log';
