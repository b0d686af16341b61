import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Longest X-Request-Id kept from a caller; a longer one is cut to this many characters. */
export const MAX_REQUEST_ID_LENGTH = 128;

// Visible ASCII only (`!` to `~`): the id goes back in a header, in the JSON body and into every
// log line of the request. Node reads header bytes as Latin-1, so a UTF-8 id would come back
// double-encoded; a space would split it in logs and shells, and two headers arrive joined by ", ".
const SAFE_REQUEST_ID = /^[\x21-\x7e]+$/;

/** The request's id: the caller's `X-Request-Id` if it is visible ASCII, cut to 128 characters; else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given)
    ? given.slice(0, MAX_REQUEST_ID_LENGTH)
    : randomUUID();
}
