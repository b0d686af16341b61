import type { Logger } from 'pino';

export interface RateLimitedLogOptions {
  /** The level of its lines. @defaultValue 'error' */
  readonly level?: 'error' | 'warn';
  /** At most one line per kind of message in this many ms. @defaultValue 10000 */
  readonly intervalMs?: number;
  /** Clock, in ms; replaced in tests only. */
  readonly now?: () => number;
}

/**
 * Logs a line at most once per interval for each message, with how many like it were left out
 * since the last line (`suppressed`). A fault that fails every job (Redis refusing writes) would
 * otherwise write thousands of identical lines a second and bury the one that says why.
 */
export function rateLimitedLog(logger: Pick<Logger, 'error' | 'warn'>, options: RateLimitedLogOptions = {}) {
  const level = options.level ?? 'error';
  const intervalMs = options.intervalMs ?? 10_000;
  const now = options.now ?? Date.now;
  const last = new Map<string, { at: number; suppressed: number }>();
  return (details: object, message: string): void => {
    const seen = last.get(message);
    const at = now();
    if (seen && at - seen.at < intervalMs) {
      seen.suppressed += 1;
      return;
    }
    logger[level](
      { ...details, ...(seen && seen.suppressed > 0 && { suppressed: seen.suppressed }) },
      message,
    );
    last.set(message, { at, suppressed: 0 });
  };
}
