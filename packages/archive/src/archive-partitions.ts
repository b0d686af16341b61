import type { Pool, PoolClient } from 'pg';
import { unlessUnavailable } from './archive-unavailable-error';
import { inTransaction } from './in-transaction';

const DAY_MS = 86_400_000;
const PREFIX = 'sms_messages_';
// Creating or dropping a partition locks the whole table: it waits for every reader, and holds up
// those that come after it. Better to fail (the write is retried, the upkeep runs again) than to
// stall the look-ups behind a long one.
const LOCK_TIMEOUT = '5s';

/** The start of the UTC day that `ms` falls in, in milliseconds. */
export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** `sms_messages_YYYYMMDD`: the partition holding the messages accepted on the UTC day of `ms`. */
export function partitionName(ms: number): string {
  return PREFIX + new Date(utcDay(ms)).toISOString().slice(0, 10).replaceAll('-', '');
}

/** The UTC day a partition holds (ms), or undefined for a table not named by `partitionName`. */
function partitionDay(name: string): number | undefined {
  const match = new RegExp(`^${PREFIX}(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
}

/**
 * Creates, inside the caller's transaction, the partitions missing for the UTC days of `times`,
 * and returns their names. Checks first without a lock: nearly always every one exists.
 */
export async function createPartitions(client: PoolClient, times: readonly number[]): Promise<string[]> {
  const names = [...new Set(times.map(partitionName))];
  if ((await missing(client, names)).length === 0) return [];
  await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
  // One creator at a time, so that two archivers that both find a day missing do not both create
  // it. A lock on the table, not an advisory lock: taking it makes this session read the catalog
  // afresh, so the second creator sees the partition the first one committed (after an advisory
  // lock it still found none, and failed on the name). Reads and writes go on meanwhile.
  await client.query('LOCK TABLE sms_messages IN SHARE UPDATE EXCLUSIVE MODE');
  const created = await missing(client, names);
  for (const name of created) {
    const from = partitionDay(name)!;
    await client.query(
      `CREATE TABLE ${name} PARTITION OF sms_messages FOR VALUES FROM ('${new Date(from).toISOString()}') TO ('${new Date(from + DAY_MS).toISOString()}')`,
    );
  }
  return created;
}

async function missing(client: PoolClient, names: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    'SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL ORDER BY name',
    [names],
  );
  return rows.map((row) => row.name);
}

/**
 * Creates the partitions of `days` UTC days from the day of `from` (ms) that do not exist yet,
 * and returns their names; the archiver keeps today's and the next two days' ready.
 */
export function ensurePartitions(pool: Pool, from: number, days: number): Promise<string[]> {
  const times = Array.from({ length: days }, (_, i) => utcDay(from) + i * DAY_MS);
  return unlessUnavailable(() => inTransaction(pool, (client) => createPartitions(client, times)));
}

/**
 * Drops every partition whose whole day is before `cutoff` (ms), each in its own transaction,
 * and returns their names: retention without DELETE, so no dead rows and no vacuum.
 */
export function dropPartitionsBefore(pool: Pool, cutoff: number): Promise<string[]> {
  return unlessUnavailable(async () => {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'sms_messages'::regclass ORDER BY c.relname`,
    );
    const expired = rows
      .map((row) => row.name)
      .filter((name) => {
        const day = partitionDay(name);
        return day !== undefined && day + DAY_MS <= cutoff;
      });
    for (const name of expired) {
      await inTransaction(pool, async (client) => {
        await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
        await client.query(`DROP TABLE ${name}`);
      });
    }
    return expired;
  });
}
