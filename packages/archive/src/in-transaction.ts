import type { Pool, PoolClient } from 'pg';
import { isUnavailable } from './archive-unavailable-error';

/**
 * Runs `work` on one connection between BEGIN and COMMIT; on an error, rolls back and rejects
 * with it. A connection that failed (or whose rollback did) is closed instead of going back to
 * the pool: the server rolls back what it closes, and a ROLLBACK sent to a server that stopped
 * answering would only wait out another timeout.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    const rolledBack =
      !isUnavailable(error) &&
      (await client.query('ROLLBACK').then(
        () => true,
        () => false,
      ));
    client.release(!rolledBack);
    throw error;
  }
}
