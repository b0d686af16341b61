import {
  DEAD_LETTER_REASONS,
  type DeadLetterReason,
  isDeadLetterReason,
  MIN_VALIDITY_SECONDS,
} from '@sms/contracts';
import { decodeCursor } from './dead-letter-cursor';

export { DEAD_LETTER_REASONS };

/** Which dead letters an operation applies to. Times are milliseconds since the epoch. */
export interface DeadLetterFilter {
  readonly reason?: DeadLetterReason;
  /** Earliest `deadLetteredAt` included. */
  readonly since?: number;
  /** `deadLetteredAt` must be before this; the instant itself is excluded. */
  readonly until?: number;
}

/** One page of a listing: the filter, where to continue, and how many. */
export interface DeadLetterPageRequest extends DeadLetterFilter {
  /** `nextCursor` of the previous page; absent (or undefined) for the first page. */
  readonly cursor?: string | undefined;
  /**
   * Entries per page, from 1 to `MAX_PAGE_SIZE`.
   * @defaultValue 50
   */
  readonly limit?: number;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * Bounds of the fresh validity a replay may give a message, in seconds: at least what the API
 * accepts, at most the largest `MAX_VALIDITY_SECONDS` the API can be configured with (7 days).
 */
export const REPLAY_VALIDITY_SECONDS = { min: MIN_VALIDITY_SECONDS, max: 604_800 } as const;

export type QueryResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly field: string; readonly message: string };

const FILTER_FIELDS = ['reason', 'since', 'until'] as const;
const PAGE_FIELDS = [...FILTER_FIELDS, 'cursor', 'limit'] as const;
// A date, optionally with a time; a time needs its zone, so that no one's local clock decides.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * Reads a filter from what an operator typed (query string, JSON body or command line): `reason`
 * one of `DEAD_LETTER_REASONS`, `since` and `until` ISO 8601 times. Unknown fields are refused,
 * so that a misspelt filter never widens what a replay touches.
 */
export function parseDeadLetterFilter(raw: Readonly<Record<string, unknown>>): QueryResult<DeadLetterFilter> {
  return parseFields(raw, FILTER_FIELDS);
}

/** As `parseDeadLetterFilter`, plus `cursor` and `limit` (1 to `MAX_PAGE_SIZE`). */
export function parseDeadLetterPageRequest(
  raw: Readonly<Record<string, unknown>>,
): QueryResult<DeadLetterPageRequest> {
  return parseFields(raw, PAGE_FIELDS);
}

/** Checks the `validFor` of a replay: a whole number of seconds within `REPLAY_VALIDITY_SECONDS`. */
export function parseValidFor(raw: unknown): QueryResult<number | undefined> {
  if (raw === undefined || raw === null) return { ok: true, value: undefined };
  const { min, max } = REPLAY_VALIDITY_SECONDS;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    return fail('validFor', `must be a whole number of seconds from ${min} to ${max}`);
  }
  return { ok: true, value: raw };
}

function parseFields(
  raw: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
): QueryResult<DeadLetterPageRequest> {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) return fail(key, `unknown parameter; allowed: ${allowed.join(', ')}`);
  }
  const result: { -readonly [K in keyof DeadLetterPageRequest]: DeadLetterPageRequest[K] } = {};
  const { reason, since, until, cursor, limit } = raw;

  if (reason !== undefined) {
    if (!isDeadLetterReason(reason))
      return fail('reason', `must be one of ${DEAD_LETTER_REASONS.join(', ')}`);
    result.reason = reason;
  }
  for (const [field, value] of [
    ['since', since],
    ['until', until],
  ] as const) {
    if (value === undefined) continue;
    const time = typeof value === 'string' && ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(time)) return fail(field, 'must be an ISO 8601 time such as 2024-05-01T12:00:00Z');
    result[field] = time;
  }
  if (result.since !== undefined && result.until !== undefined && result.until <= result.since) {
    return fail('until', 'must be later than since');
  }
  if (cursor !== undefined) {
    if (typeof cursor !== 'string' || decodeCursor(cursor) === undefined) {
      return fail('cursor', 'is not a cursor this listing gave out');
    }
    result.cursor = cursor;
  }
  if (limit !== undefined) {
    const value = typeof limit === 'string' && /^\d+$/.test(limit) ? Number(limit) : limit;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
      return fail('limit', `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    result.limit = value;
  }
  return { ok: true, value: result };
}

function fail(field: string, message: string): { ok: false; field: string; message: string } {
  return { ok: false, field, message: `${field}: ${message}` };
}
