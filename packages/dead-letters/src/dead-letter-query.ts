import {
  DEAD_LETTER_REASONS,
  type DeadLetterReason,
  queryFailure as fail,
  isDeadLetterReason,
  MIN_VALIDITY_SECONDS,
  parsePageLimit,
  parseTimeWindow,
  type QueryResult,
  unknownQueryField,
} from '@sms/contracts';
import { decodeCursor } from './dead-letter-cursor';

export { DEAD_LETTER_REASONS, type QueryResult };

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

const FILTER_FIELDS = ['reason', 'since', 'until'] as const;
const PAGE_FIELDS = [...FILTER_FIELDS, 'cursor', 'limit'] as const;

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
  const unknown = unknownQueryField(raw, allowed);
  if (unknown) return unknown;
  const result: { -readonly [K in keyof DeadLetterPageRequest]: DeadLetterPageRequest[K] } = {};
  const { reason, since, until, cursor, limit } = raw;

  if (reason !== undefined) {
    if (!isDeadLetterReason(reason))
      return fail('reason', `must be one of ${DEAD_LETTER_REASONS.join(', ')}`);
    result.reason = reason;
  }
  const window = parseTimeWindow(since, until);
  if (!window.ok) return window;
  Object.assign(result, window.value);
  if (cursor !== undefined) {
    if (typeof cursor !== 'string' || decodeCursor(cursor) === undefined) {
      return fail('cursor', 'is not a cursor this listing gave out');
    }
    result.cursor = cursor;
  }
  const pageLimit = parsePageLimit(limit, MAX_PAGE_SIZE);
  if (!pageLimit.ok) return pageLimit;
  if (pageLimit.value !== undefined) result.limit = pageLimit.value;
  return { ok: true, value: result };
}
