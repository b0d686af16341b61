/** What reading one operator's query gave: the value, or the field at fault and why. */
export type QueryResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly field: string; readonly message: string };

// A date, optionally with a time; a time needs its zone, so that no one's local clock decides.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

export function queryFailure(field: string, message: string): { ok: false; field: string; message: string } {
  return { ok: false, field, message: `${field}: ${message}` };
}

/** The first field not `allowed`, refused: a misspelt filter must never widen what a replay touches. */
export function unknownQueryField(
  raw: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
): { ok: false; field: string; message: string } | undefined {
  const key = Object.keys(raw).find((name) => !allowed.includes(name));
  return key === undefined
    ? undefined
    : queryFailure(key, `unknown parameter; allowed: ${allowed.join(', ')}`);
}

/** `since` and `until` as ISO 8601 times, into ms since the epoch; `until` after `since`. */
export function parseTimeWindow(
  since: unknown,
  until: unknown,
): QueryResult<{ since?: number; until?: number }> {
  const window: { since?: number; until?: number } = {};
  for (const [field, value] of [
    ['since', since],
    ['until', until],
  ] as const) {
    if (value === undefined) continue;
    const time = typeof value === 'string' && ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time))
      return queryFailure(field, 'must be an ISO 8601 time such as 2024-05-01T12:00:00Z');
    window[field] = time;
  }
  if (window.since !== undefined && window.until !== undefined && window.until <= window.since) {
    return queryFailure('until', 'must be later than since');
  }
  return { ok: true, value: window };
}

/** A page size from a query string or JSON: a whole number from 1 to `max`. */
export function parsePageLimit(limit: unknown, max: number): QueryResult<number | undefined> {
  if (limit === undefined) return { ok: true, value: undefined };
  const value = typeof limit === 'string' && /^\d+$/.test(limit) ? Number(limit) : limit;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    return queryFailure('limit', `must be a whole number from 1 to ${max}`);
  }
  return { ok: true, value };
}
