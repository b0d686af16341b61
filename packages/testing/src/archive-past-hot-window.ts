import { ArchiveWriter, type createArchivePool } from '@sms/archive';
import type { RedisConnection } from '@sms/queue';
import type { StatusStore } from '@sms/status-store';

/** One gateway's status records in Redis, and the archive they go to. */
export interface ArchiveTarget {
  readonly redis: RedisConnection;
  readonly statusStore: StatusStore;
  readonly pool: ReturnType<typeof createArchivePool>;
}

/**
 * Takes a message past its hot window: writes its Redis record and history to PostgreSQL as the
 * archiver does, then deletes them from Redis as their expiry would. Throws when Redis held
 * neither, so that a test cannot pass on a message it never wrote.
 */
export async function archivePastHotWindow(target: ArchiveTarget, id: string): Promise<void> {
  const { redis, statusStore, pool } = target;
  const record = await statusStore.read(id);
  if (!record) throw new Error(`Redis has no status record of ${id}`);
  await new ArchiveWriter(pool).write([{ ...record, history: await statusStore.attempts(id) }]);
  // The history lives in the record's hash; a separate list only for records written before.
  const deleted = await redis.del(statusStore.key(id), statusStore.attemptsKey(id));
  if (deleted < 1) throw new Error(`Redis held none of the keys of ${id}`);
}
