import { randomUUID } from 'node:crypto';
import {
  type ArchivedMessage,
  ArchiveReader,
  ArchiveUnavailableError,
  ArchiveWriter,
  createArchivePool,
  StatusLookup,
} from '@sms/archive';
import { ReferenceIndex, StatusStore } from '@sms/status-store';
import { type ConnectedRedis, connectTestRedis, startPostgres, type TestPostgres } from '@sms/testing';
import type { Pool } from 'pg';
import { DAY, sampleMessage } from './sample-message';

let redis: ConnectedRedis;
let postgres: TestPostgres;
let pool: Pool;
let writer: ArchiveWriter;

beforeAll(async () => {
  [redis, postgres] = await Promise.all([connectTestRedis(), startPostgres()]);
  pool = createArchivePool(postgres.url, { connectTimeoutMs: 500 });
  writer = new ArchiveWriter(pool);
});

afterAll(async () => {
  await pool?.end();
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

/** A gateway's Redis stores under a prefix of their own, and lookups over them. */
function gateway() {
  const prefix = `sl${randomUUID().slice(0, 8)}`;
  const statusStore = new StatusStore(redis.redis, { prefix, now: () => DAY + 5_000 });
  const referenceIndex = new ReferenceIndex(redis.redis, {
    prefix,
    retentionSeconds: 600,
    maxPerReference: 3,
  });
  const deps = { statusStore, referenceIndex };
  return {
    statusStore,
    referenceIndex,
    lookup: new StatusLookup({ ...deps, archive: new ArchiveReader(pool) }),
    redisOnly: new StatusLookup(deps),
  };
}

/** `message` as the worker last wrote it to Redis, with its history. */
async function inRedis(statusStore: StatusStore, message: ArchivedMessage): Promise<void> {
  const { id, history, ...update } = message;
  for (const [i, attempt] of history.entries()) {
    await statusStore.write(
      id,
      i === history.length - 1 ? update : { ...update, status: 'retrying' },
      attempt,
    );
  }
}

const withoutHistory = ({ history: _history, ...record }: ArchivedMessage) => record;

describe('StatusLookup', () => {
  it('reads Redis first, then the archive, and neither for an id nobody has', async () => {
    const { statusStore, lookup, redisOnly } = gateway();
    const archived = sampleMessage();
    await writer.write([archived]);
    // A dead letter replayed after its hot window: queued again in Redis, final in the archive.
    const replayed = sampleMessage({ status: 'dead_lettered' });
    await writer.write([replayed]);
    await statusStore.write(replayed.id, {
      status: 'queued',
      attempts: 1,
      client: 'billing',
      to: '57300****567',
      createdAt: DAY,
    });

    expect(await lookup.read(archived.id)).toEqual(withoutHistory(archived));
    expect(await lookup.read(replayed.id)).toMatchObject({ status: 'queued' });
    expect(await lookup.read(randomUUID())).toBeUndefined();
    expect(await redisOnly.read(archived.id)).toBeUndefined();
    expect(lookup.readsArchive).toBe(true);
    expect(redisOnly.readsArchive).toBe(false);
  });

  it("answers Redis' attempts while Redis has the record, else the archived history", async () => {
    const { statusStore, lookup } = gateway();
    const hot = sampleMessage({
      history: [
        { attempt: 1, code: 5030, outcome: 'retry', message: 'Temporal failure', at: DAY + 1_000 },
        { attempt: 2, code: 2020, outcome: 'success', message: 'Accepted', at: DAY + 2_000 },
      ],
    });
    await inRedis(statusStore, hot);
    const cold = sampleMessage();
    await writer.write([cold]);

    expect(await lookup.attempts(hot.id)).toEqual(hot.history);
    expect(await lookup.attempts(cold.id)).toEqual(cold.history);
    expect(await lookup.attempts(randomUUID())).toEqual([]);
  });

  it('merges the reference index with the archive: most recent first, Redis winning, at most the limit', async () => {
    const { statusStore, referenceIndex, lookup, redisOnly } = gateway();
    const reference = 'order-7';
    const at = (minutes: number) => DAY + minutes * 60_000;
    const oldest = sampleMessage({ reference, createdAt: at(1) });
    const archivedOnly = sampleMessage({ reference, createdAt: at(2) });
    const both = sampleMessage({ reference, createdAt: at(3), status: 'dead_lettered' });
    const queued = randomUUID();
    await writer.write([oldest, archivedOnly, both]);
    await inRedis(statusStore, { ...both, status: 'accepted' });
    await referenceIndex.add('billing', reference, both.id, { acceptedAt: both.createdAt });
    await referenceIndex.add('billing', reference, queued, { acceptedAt: at(4) });

    expect(await lookup.byReference('billing', reference, 3)).toEqual([
      { id: queued },
      { id: both.id, record: expect.objectContaining({ status: 'accepted' }) },
      { id: archivedOnly.id, record: withoutHistory(archivedOnly) },
    ]);
    expect(await lookup.byReference('billing', reference, 10)).toHaveLength(4);
    expect(await redisOnly.byReference('billing', reference, 3)).toEqual([
      { id: queued },
      { id: both.id, record: expect.objectContaining({ status: 'accepted' }) },
    ]);
    expect(await lookup.byReference('marketing', reference, 3)).toEqual([]);
  });

  describe('while PostgreSQL is down', () => {
    let down: ReturnType<typeof gateway>;
    const hot = sampleMessage();
    let stopped = false;

    beforeAll(async () => {
      down = gateway();
      await inRedis(down.statusStore, hot);
      await postgres.stopServer();
      stopped = true;
    });

    afterAll(async () => {
      if (stopped) await postgres.startServer();
    });

    it('still reads what Redis has', async () => {
      expect(await down.lookup.read(hot.id)).toMatchObject({ id: hot.id, status: 'accepted' });
      expect(await down.lookup.attempts(hot.id)).toEqual(hot.history);
    });

    it('rejects with ArchiveUnavailableError for what Redis lacks, where Redis alone says absent', async () => {
      const missing = randomUUID();
      await expect(down.lookup.read(missing)).rejects.toBeInstanceOf(ArchiveUnavailableError);
      await expect(down.lookup.attempts(missing)).rejects.toBeInstanceOf(ArchiveUnavailableError);
      await expect(down.lookup.byReference('billing', 'any', 3)).rejects.toBeInstanceOf(
        ArchiveUnavailableError,
      );
      expect(await down.redisOnly.read(missing)).toBeUndefined();
    });
  });
});
