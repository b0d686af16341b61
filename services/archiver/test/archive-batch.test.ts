import { ArchiveReader, ArchiveWriter, createArchivePool } from '@sms/archive';
import { redisKeyPrefix } from '@sms/config';
import { ARCHIVE_GROUP, archiveStreamKeys } from '@sms/queue';
import { recordIdentity, referenceIndexKey, StatusStore } from '@sms/status-store';
import {
  type ConnectedRedis,
  connectTestRedis,
  newPrefix,
  startPostgres,
  type TestPostgres,
  waitFor,
} from '@sms/testing';
import { archiveBatch } from '../src/archive-batch';
import { ArchiveConsumer } from '../src/archive-consumer';
import { forgetIdleConsumers } from '../src/forget-idle-consumers';

// One archiving step on a real Redis and a real PostgreSQL: what it writes, what it releases in
// Redis, and what it leaves alone.
const HOT_MS = 60_000;
const RETENTION_SECONDS = 3_600;

let connected: ConnectedRedis;
let postgres: TestPostgres;
let pool: ReturnType<typeof createArchivePool>;
beforeAll(async () => {
  [connected, postgres] = await Promise.all([connectTestRedis(), startPostgres()]);
  pool = createArchivePool(postgres.url);
}, 60_000);
afterAll(async () => {
  await pool?.end();
  await connected?.stop();
  await postgres?.stop();
});

const attempt = { attempt: 1, code: 2020, outcome: 'success', message: 'ok', at: 1 };
let n = 0;
const newId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

/** A gateway's status store with its archive stream created, and the archiver's step on it. */
async function archiving(writer: { write: ArchiveWriter['write'] } = new ArchiveWriter(pool)) {
  const prefix = redisKeyPrefix(newPrefix());
  const redis = connected.redis;
  const statusStore = new StatusStore(redis, { prefix, retentionSeconds: RETENTION_SECONDS });
  const consumer = new ArchiveConsumer(redis, {
    prefix,
    consumer: 'test',
    batchSize: 100,
    claimIdleMs: 60_000,
    blockMs: 10,
  });
  await consumer.prepare(1_000);
  const corrupt: string[] = [];
  const deps = {
    redis,
    statusStore,
    writer,
    prefix,
    hotMs: HOT_MS,
    onCorrupt: (id: string) => corrupt.push(id),
  };
  return {
    prefix,
    corrupt,
    statusStore,
    step: async () => archiveBatch(deps, await consumer.next()),
    streamLength: () => redis.xlen(archiveStreamKeys(prefix).stream),
  };
}

const identity = (reference: string) =>
  recordIdentity({ to: '573001234567', text: 'hi', client: 'billing', acceptedAt: Date.now(), reference });

it('writes a final record with its history, gives Redis only the hot window, and unindexes its reference', async () => {
  const { prefix, statusStore, step, streamLength } = await archiving();
  const id = newId();
  await statusStore.write(id, { status: 'accepted', attempts: 1, ...identity('order-7') }, attempt);
  const index = referenceIndexKey(prefix, 'billing', 'order-7');
  await connected.redis.zadd(index, Date.now(), id);

  expect(await step()).toEqual({ written: 1, notFinal: 0, missing: 0 });
  expect(await new ArchiveReader(pool).read(id)).toMatchObject({
    id,
    status: 'accepted',
    history: [attempt],
  });
  const ttl = await connected.redis.pttl(statusStore.key(id));
  expect(ttl).toBeGreaterThan(HOT_MS - 10_000);
  expect(ttl).toBeLessThanOrEqual(HOT_MS);
  expect(await connected.redis.zscore(index, id)).toBeNull();
  expect(await streamLength()).toBe(0);
});

it('acknowledges a record no longer final, and one gone, without a row', async () => {
  const { statusStore, step, streamLength } = await archiving();
  const [replayed, gone] = [newId(), newId()];
  await statusStore.write(replayed, { status: 'dead_lettered', attempts: 1, ...identity('r') }, attempt);
  await statusStore.write(replayed, { status: 'queued', attempts: 1 }, undefined, { reopen: true });
  await statusStore.write(gone, { status: 'accepted', attempts: 1, ...identity('g') }, attempt);
  await connected.redis.del(statusStore.key(gone));

  expect(await step()).toEqual({ written: 0, notFinal: 1, missing: 1 });
  expect(await new ArchiveReader(pool).read(replayed)).toBeUndefined();
  expect(await connected.redis.ttl(statusStore.key(replayed))).toBeGreaterThan(RETENTION_SECONDS - 10);
  expect(await streamLength()).toBe(0);
});

it('leaves a record alone in Redis when it changed while its batch was being written', async () => {
  const real = new ArchiveWriter(pool);
  let statusStore: StatusStore | undefined;
  const id = newId();
  // The message is replayed between the read of the batch and its COMMIT.
  const racing = {
    write: async (messages: Parameters<ArchiveWriter['write']>[0]) => {
      await statusStore!.write(id, { status: 'queued', attempts: 1 }, undefined, { reopen: true });
      return real.write(messages);
    },
  };
  const setup = await archiving(racing);
  statusStore = setup.statusStore;
  await statusStore.write(id, { status: 'failed', attempts: 1, ...identity('x') }, attempt);

  expect(await setup.step()).toEqual({ written: 1, notFinal: 0, missing: 0 });
  expect(await connected.redis.ttl(statusStore.key(id))).toBeGreaterThan(RETENTION_SECONDS - 10);
  expect(await statusStore.read(id)).toMatchObject({ status: 'queued' });
  expect(await setup.streamLength()).toBe(0);
});

it('leaves the batch pending when PostgreSQL refuses it, and finishes it on the next try', async () => {
  const { statusStore, step, streamLength } = await archiving();
  const id = newId();
  await statusStore.write(id, { status: 'accepted', attempts: 1, ...identity('p') }, attempt);
  await postgres.stopServer();
  try {
    await expect(step()).rejects.toMatchObject({ code: 'ARCHIVE_STEP_FAILED', stage: 'postgres' });
    expect(await streamLength()).toBe(1);
  } finally {
    await postgres.startServer();
  }
  expect(await step()).toEqual({ written: 1, notFinal: 0, missing: 0 });
  expect(await streamLength()).toBe(0);
});

it('forgets the consumers of archivers long gone, never one with entries pending', async () => {
  const { prefix, statusStore } = await archiving();
  const { stream } = archiveStreamKeys(prefix);
  await statusStore.write(newId(), { status: 'accepted', attempts: 1, ...identity('f') }, attempt);
  await connected.redis.xreadgroup('GROUP', ARCHIVE_GROUP, 'holding', 'COUNT', 1, 'STREAMS', stream, '>');
  await connected.redis.xgroup('CREATECONSUMER', stream, ARCHIVE_GROUP, 'gone');
  await waitFor(async () => (await forgetIdleConsumers(connected.redis, prefix, 50)).includes('gone'), {
    timeoutMs: 5_000,
    description: 'the idle consumer without entries forgotten',
  });
  const left = (await connected.redis.xinfo('CONSUMERS', stream, ARCHIVE_GROUP)) as string[][];
  expect(left.map((fields) => fields[1]).sort()).toEqual(['holding']);
});

it('acknowledges a record it cannot archive as missing, and reports it, rather than retry it for ever', async () => {
  const { prefix, statusStore, step, streamLength, corrupt } = await archiving();
  const [unknownStatus, badHistory] = [newId(), newId()];
  const { stream } = archiveStreamKeys(prefix);
  await connected.redis.hset(statusStore.key(unknownStatus), {
    status: 'lost-in-space',
    client: 'c',
    updatedAt: 1,
  });
  await statusStore.write(badHistory, { status: 'accepted', attempts: 1, ...identity('b') }, attempt);
  await connected.redis.hset(statusStore.key(badHistory), 'history', 'not json');
  await connected.redis.xadd(stream, '*', 'i', unknownStatus);

  expect(await step()).toEqual({ written: 0, notFinal: 0, missing: 2 });
  expect(corrupt.sort()).toEqual([unknownStatus, badHistory].sort());
  expect(await streamLength()).toBe(0);
});
