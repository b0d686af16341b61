import {
  parsePageLimit,
  parseTimeWindow,
  type QueryResult,
  queryFailure,
  unknownQueryField,
} from '@sms/contracts';
import type { GivenUpFilter, GivenUpPageRequest } from './given-up-callbacks';
import { decodeGivenUpCursor } from './given-up-page';

export const DEFAULT_GIVEN_UP_PAGE_SIZE = 50;
export const MAX_GIVEN_UP_PAGE_SIZE = 500;

const FILTER_FIELDS = ['client', 'since', 'until'] as const;
const PAGE_FIELDS = [...FILTER_FIELDS, 'cursor', 'limit'] as const;
// As API_KEYS names clients (`clientName` of @sms/config), so that no key can be made of it.
const CLIENT = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Reads a filter from what an operator typed (query string, JSON body or command line): `client`
 * a client's name, `since` and `until` ISO 8601 times of the give-up. Unknown fields are refused,
 * so that a misspelt filter never widens what a replay touches.
 */
export function parseGivenUpFilter(raw: Readonly<Record<string, unknown>>): QueryResult<GivenUpFilter> {
  return parseFields(raw, FILTER_FIELDS);
}

/** As `parseGivenUpFilter`, plus `cursor` and `limit` (1 to `MAX_GIVEN_UP_PAGE_SIZE`, default 50). */
export function parseGivenUpPageRequest(
  raw: Readonly<Record<string, unknown>>,
): QueryResult<GivenUpPageRequest> {
  return parseFields(raw, PAGE_FIELDS);
}

function parseFields(
  raw: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
): QueryResult<GivenUpPageRequest> {
  const unknown = unknownQueryField(raw, allowed);
  if (unknown) return unknown;
  const { client, since, until, cursor, limit } = raw;
  if (client !== undefined && (typeof client !== 'string' || !CLIENT.test(client))) {
    return queryFailure('client', "must be a client's name as API_KEYS has it");
  }
  const window = parseTimeWindow(since, until);
  if (!window.ok) return window;
  if (cursor !== undefined && (typeof cursor !== 'string' || decodeGivenUpCursor(cursor) === undefined)) {
    return queryFailure('cursor', 'is not a cursor this listing gave out');
  }
  const pageLimit = parsePageLimit(limit, MAX_GIVEN_UP_PAGE_SIZE);
  if (!pageLimit.ok) return pageLimit;
  return {
    ok: true,
    value: {
      ...(client !== undefined && { client: client as string }),
      ...window.value,
      ...(cursor !== undefined && { cursor: cursor as string }),
      limit: pageLimit.value ?? DEFAULT_GIVEN_UP_PAGE_SIZE,
    },
  };
}
