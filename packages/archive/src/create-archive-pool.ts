import { Pool } from 'pg';

export interface ArchivePoolOptions {
  /** Connections at most. @defaultValue 4 */
  readonly max?: number;
  /**
   * The longest a statement may run, in milliseconds, on the server (`statement_timeout`) and,
   * a second more, on the client (a server that stopped answering). @defaultValue 10000
   */
  readonly statementTimeoutMs?: number;
  /** The longest a new connection may take, in milliseconds. @defaultValue 5000 */
  readonly connectTimeoutMs?: number;
}

/**
 * A pool of connections to the archive. Every wait is bounded, so that a PostgreSQL that is
 * down or stuck turns into an `ArchiveUnavailableError` in seconds, never a request that hangs.
 */
export function createArchivePool(databaseUrl: string, options: ArchivePoolOptions = {}): Pool {
  const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
  const pool = new Pool({
    connectionString: databaseUrl,
    max: options.max ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 1_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'sms-archive',
  });
  // An idle connection that the server closes (a restart) is dropped by the pool, which then
  // emits 'error': unlistened, that would end the process. The next query reports the outage.
  pool.on('error', () => {});
  return pool;
}
