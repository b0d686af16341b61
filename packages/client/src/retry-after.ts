/**
 * `Retry-After` in milliseconds from `nowMs`: delta-seconds or an HTTP date (RFC 9110 10.2.3);
 * undefined when absent or malformed.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1_000;
  // A date names its day and month in letters; Date.parse would also take "-1" as a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
