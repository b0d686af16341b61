import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Fields blanked in every log line. The API logs no request bodies or headers; these catch what
 * an error drags in: ioredis attaches the failed command's arguments (the job, with the full
 * number and the text) to its reply errors, body-parser attaches the raw body to its errors.
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'err.command.args',
  'err.body',
];

/** The API's logger; `destination` defaults to stdout. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { name: 'api', level, redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
