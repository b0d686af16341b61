import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_INDEX_VERSION, type DeadLetterEntry } from '@sms/queue';
import { type ConnectedRedis, connectTestRedis, mapConcurrently } from '@sms/testing';
import type Redis from 'ioredis';
import { openDeadLetters, sampleEntry } from '../test/open-dead-letters';
import { DeadLetterIndex } from './dead-letter-index';
import { ReplayJournal } from './replay-journal';

// Dead letters written before the index existed: jobs added as `deadLetter` used to add them,
// with no index member. The first reader builds the index from the queue and the replay journal.
let connected: ConnectedRedis;
let redis: Redis;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  connected = await connectTestRedis();
  redis = connected.redis;
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await connected?.stop();
});

async function legacyGateway() {
  const { prefix, deadLetterQueue, deadLetters, close } = openDeadLetters(redis, {
    prefix: `dlb-${randomUUID().slice(0, 8)}`,
  });
  closers.push(close);
  const index = new DeadLetterIndex(deadLetterQueue, redis, prefix);
  /** What the gateway wrote before the index: the job alone. */
  const putAsideUnindexed = async (id: string, value: DeadLetterEntry) => {
    await deadLetterQueue.add(value.reason, value, { jobId: id, removeOnComplete: true });
  };
  return { prefix, deadLetterQueue, deadLetters, index, putAsideUnindexed };
}

it('builds the index once from entries written before it, then lists them as before', async () => {
  const { prefix, deadLetterQueue, deadLetters, index, putAsideUnindexed } = await legacyGateway();
  for (let i = 0; i < 250; i++) {
    await putAsideUnindexed(`old-${i}`, sampleEntry(1_000 + i, i % 2 === 0 ? 'rejected' : 'expired'));
  }
  await putAsideUnindexed('corrupt', {
    ...sampleEntry(5_000),
    reason: 'misplaced',
  } as unknown as DeadLetterEntry);
  await new ReplayJournal(redis, prefix).save('interrupted', sampleEntry(900, 'retries_exhausted'));
  expect(await redis.exists(index.keys.version)).toBe(0);

  const first = await deadLetters.list({ limit: 3 });
  expect(first.total).toBe(251);
  expect(first.items.map((item) => item.id)).toEqual(['old-249', 'old-248', 'old-247']);
  expect(await redis.get(index.keys.version)).toBe(DEAD_LETTER_INDEX_VERSION);
  expect(await deadLetters.count({ reason: 'expired' })).toBe(125);
  expect(await deadLetters.count({ since: 1_100, until: 1_200 })).toBe(100);
  const oldest = await deadLetters.list({ until: 1_000 });
  expect(oldest.items).toEqual([expect.objectContaining({ id: 'interrupted', replayInterrupted: true })]);

  // Built once: an entry added without its index member afterwards stays out of the listing...
  await putAsideUnindexed('late', sampleEntry(9_000));
  expect(await deadLetters.count()).toBe(251);
  // ...until an operator deletes the version marker, and the next reader builds it again.
  await redis.del(index.keys.version);
  expect((await deadLetters.list({ limit: 1 })).items.map((item) => item.id)).toEqual(['late']);
  expect(await deadLetters.count()).toBe(252);
  expect(await deadLetterQueue.count()).toBe(252);
});

it('misses no entry when entries are removed while the index is built', async () => {
  const { deadLetterQueue, index, putAsideUnindexed } = await legacyGateway();
  const ids = Array.from({ length: 600 }, (_, i) => `e-${i}`);
  for (const [i, id] of ids.entries()) await putAsideUnindexed(id, sampleEntry(10_000 + i));

  // Deletes of the oldest entries, which the walk (from the oldest) has passed or is passing.
  const removed = ids.slice(0, 200);
  const removals = mapConcurrently(removed, 2, async (id) => {
    await deadLetterQueue.remove(id);
    await index.forget(id);
  });
  let complete = false;
  for (let attempt = 0; attempt < 3 && !complete; attempt++) {
    const building = index.ensureBuilt();
    if (attempt === 0) await removals;
    complete = await building;
  }
  expect(complete).toBe(true);
  const kept = ids.slice(200);
  expect((await redis.zrange(index.keys.all, 0, -1)).sort()).toEqual([...kept].sort());
  expect(await redis.zcard(index.keys.byReason.rejected)).toBe(kept.length);
});
