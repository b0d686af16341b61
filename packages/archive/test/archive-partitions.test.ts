import {
  ArchiveReader,
  ArchiveWriter,
  createArchivePool,
  dropPartitionsBefore,
  ensurePartitions,
  partitionName,
} from '@sms/archive';
import { startPostgres, type TestPostgres } from '@sms/testing';
import type { Pool } from 'pg';
import { DAY, DAY_MS, sampleMessage } from './sample-message';

let postgres: TestPostgres;
let pool: Pool;

beforeAll(async () => {
  postgres = await startPostgres();
  pool = createArchivePool(postgres.url);
});

afterAll(async () => {
  await pool?.end();
  await postgres?.stop();
});

async function partitions(): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'sms_messages'::regclass ORDER BY c.relname`,
  );
  return rows.map((row) => row.name);
}

describe('day partitions', () => {
  it('names a partition for the UTC day of its messages', () => {
    expect(partitionName(Date.UTC(2026, 2, 14, 0, 0, 0))).toBe('sms_messages_20260314');
    expect(partitionName(Date.UTC(2026, 2, 14, 23, 59, 59, 999))).toBe('sms_messages_20260314');
    expect(partitionName(Date.UTC(2026, 11, 31, 12))).toBe('sms_messages_20261231');
  });

  it('creates, once, the partitions of the days asked for', async () => {
    const from = Date.UTC(2026, 0, 30, 18);
    await expect(ensurePartitions(pool, from, 3)).resolves.toStrictEqual([
      'sms_messages_20260130',
      'sms_messages_20260131',
      'sms_messages_20260201',
    ]);
    await expect(ensurePartitions(pool, from, 3)).resolves.toStrictEqual([]);
  });

  it('creates the partitions a batch needs, and drops whole days before the cutoff without deleting rows', async () => {
    const writer = new ArchiveWriter(pool);
    const reader = new ArchiveReader(pool);
    const byDay = [0, 1, 2].map((day) => sampleMessage({ createdAt: DAY + day * DAY_MS }));
    await writer.write(byDay);
    expect(await partitions()).toEqual(
      expect.arrayContaining(['sms_messages_20260314', 'sms_messages_20260315', 'sms_messages_20260316']),
    );

    // The cutoff falls inside the 15th: that day still holds messages younger than it.
    const cutoff = DAY + DAY_MS + 3_600_000;
    const dropped = await dropPartitionsBefore(pool, cutoff);
    expect(dropped).toContain('sms_messages_20260314');
    expect(dropped).not.toContain('sms_messages_20260315');
    expect(await partitions()).not.toContain('sms_messages_20260314');
    expect(await partitions()).toEqual(
      expect.arrayContaining(['sms_messages_20260315', 'sms_messages_20260316']),
    );

    await expect(reader.read(byDay[0]!.id)).resolves.toBeUndefined();
    await expect(reader.read(byDay[1]!.id)).resolves.toStrictEqual(byDay[1]);
    await expect(reader.read(byDay[2]!.id)).resolves.toStrictEqual(byDay[2]);
    const { rows } = await pool.query<{ deleted: string }>(
      "SELECT coalesce(sum(n_tup_del), 0) AS deleted FROM pg_stat_user_tables WHERE relname LIKE 'sms_messages%'",
    );
    expect(Number(rows[0]!.deleted)).toBe(0);
  });

  it('lets two archivers that both find a day missing create it once, and both write', async () => {
    const day = Date.UTC(2026, 5, 1, 9);
    const pools = [pool, createArchivePool(postgres.url)];
    try {
      const batches = pools.map(() => [
        sampleMessage({ createdAt: day }),
        sampleMessage({ createdAt: day + 1 }),
      ]);
      const written = await Promise.all(pools.map((each, i) => new ArchiveWriter(each).write(batches[i]!)));
      expect(written).toStrictEqual([2, 2]);
      await expect(ensurePartitions(pool, day, 1)).resolves.toStrictEqual([]);
      expect(await partitions()).toContain('sms_messages_20260601');
    } finally {
      await pools[1]!.end();
    }
  });

  it('drops nothing when no day is wholly before the cutoff', async () => {
    await expect(dropPartitionsBefore(pool, Date.UTC(2000, 0, 1))).resolves.toStrictEqual([]);
  });
});
