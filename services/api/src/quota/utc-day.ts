const DAY_MS = 86_400_000;

/** The UTC calendar day of a time, as `YYYY-MM-DD`: it names the day's counter in Redis. */
export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

/** Whole seconds from a time to the next 00:00 UTC, at least 1 (Redis expiries are whole seconds). */
export function secondsToUtcMidnight(nowMs: number): number {
  const nextMidnight = (Math.floor(nowMs / DAY_MS) + 1) * DAY_MS;
  return Math.max(1, Math.ceil((nextMidnight - nowMs) / 1000));
}
