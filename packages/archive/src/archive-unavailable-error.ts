/**
 * PostgreSQL could not be reached, or refused to work (shut down, starting, out of connections,
 * out of disk, a statement past its timeout). `cause` is pg's error. The API answers 503 with
 * this code instead of a 404 that would say a message does not exist.
 */
export class ArchiveUnavailableError extends Error {
  readonly code = 'ARCHIVE_UNAVAILABLE';

  constructor(cause: unknown) {
    super(
      `the archive (PostgreSQL) is unavailable: ${(cause as { message?: unknown })?.message ?? String(cause)}`,
      {
        cause,
      },
    );
    this.name = this.constructor.name;
  }
}

// SQLSTATE classes that say the server, not the statement, is the problem: 08 connection
// exception, 28 invalid authorization, 53 insufficient resources (disk full, too many
// connections), 57 operator intervention (shutdown, starting up, statement timeout).
const UNAVAILABLE_CLASSES = new Set(['08', '28', '53', '57']);
// 3D000: the database named in DATABASE_URL does not exist.
const UNAVAILABLE_STATES = new Set(['3D000']);

// What pg itself says when a connection fails or ends under a query.
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'connection error',
  'Client was closed and is not queryable',
  'Client has encountered a connection error',
];

/** True when `error` (from pg) means PostgreSQL is out of reach rather than a fault in a query. */
export function isUnavailable(error: unknown): boolean {
  // Not `instanceof Error`: Node's socket errors come from another realm under Jest's sandbox.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    // Node's socket errors: ECONNREFUSED, ECONNRESET, ETIMEDOUT, EHOSTUNREACH, ENOTFOUND...
    if (/^E[A-Z]+$/.test(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code))
      return UNAVAILABLE_CLASSES.has(code.slice(0, 2)) || UNAVAILABLE_STATES.has(code);
  }
  return typeof message === 'string' && CONNECTION_MESSAGES.some((text) => message.includes(text));
}

/** Runs `work`, turning an error that means PostgreSQL is out of reach into `ArchiveUnavailableError`. */
export async function unlessUnavailable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isUnavailable(error) ? new ArchiveUnavailableError(error) : error;
  }
}
