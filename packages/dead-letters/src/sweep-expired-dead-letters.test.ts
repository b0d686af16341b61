import { randomUUID } from 'node:crypto';
import { type ConnectedRedis, connectTestRedis, seedDeadLetter } from '@sms/testing';
import type Redis from 'ioredis';
import { openDeadLetters } from '../test/open-dead-letters';
import { DeadLetterIndex } from './dead-letter-index';
import { MessageLock } from './message-lock';
import { operatorKeys } from './operator-keys';
import { ReplayJournal } from './replay-journal';
import { sweepExpiredDeadLetters } from './sweep-expired-dead-letters';

const DAY = 86_400_000;
const NOW = Date.UTC(2024, 4, 1, 12);
const RETENTION_SECONDS = 30 * 86_400;
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

async function gateway() {
  const { prefix, deadLetterQueue, statusStore, deadLetters, close } = openDeadLetters(redis, {
    prefix: `dls-${randomUUID().slice(0, 8)}`,
  });
  closers.push(close);
  const putAside = (daysAgo: number) =>
    seedDeadLetter({ deadLetterQueue, statusStore }, { deadLetteredAt: NOW - daysAgo * DAY });
  const sweep = (retentionSeconds = RETENTION_SECONDS, batch?: number) =>
    sweepExpiredDeadLetters(
      { deadLetterQueue, redis, prefix },
      { retentionSeconds, now: () => NOW, ...(batch !== undefined && { batch }) },
    );
  return { prefix, deadLetterQueue, statusStore, deadLetters, putAside, sweep };
}

it('removes the entries older than the retention, their jobs and index members, and nothing else', async () => {
  const { prefix, deadLetterQueue, statusStore, deadLetters, putAside, sweep } = await gateway();
  const expired = [];
  for (let i = 0; i < 7; i++) expired.push(await putAside(31 + i));
  const kept = [await putAside(29), await putAside(1)];
  const statusBefore = await statusStore.read(expired[0]!);

  expect(await sweep(RETENTION_SECONDS, 3)).toBe(7);
  expect((await deadLetters.list()).items.map((item) => item.id)).toEqual(kept.reverse());
  expect(await deadLetters.count()).toBe(2);
  expect(await deadLetterQueue.getJobCounts('waiting')).toEqual({ waiting: 2 });
  for (const id of expired) {
    expect(await deadLetterQueue.getJob(id)).toBeUndefined();
    expect(await redis.exists(deadLetterQueue.toKey(id))).toBe(0);
  }
  const index = new DeadLetterIndex(deadLetterQueue, redis, prefix);
  expect(await redis.zcard(index.keys.all)).toBe(2);
  expect(await redis.zcard(index.keys.byReason.rejected)).toBe(2);
  expect(await statusStore.read(expired[0]!)).toEqual(statusBefore);
  expect(await sweep()).toBe(0);
});

it('removes an old interrupted replay, and leaves an entry alone while a replay or delete holds it', async () => {
  const { prefix, deadLetterQueue, deadLetters, putAside, sweep } = await gateway();
  const interrupted = await putAside(40);
  const journal = new ReplayJournal(redis, prefix);
  await journal.save(interrupted, (await deadLetterQueue.getJob(interrupted))!.data);
  await deadLetterQueue.remove(interrupted);
  const held = await putAside(50);

  const lock = new MessageLock(redis, operatorKeys(prefix).lockPrefix);
  const during = await lock.run(held, () => sweep());
  expect(during).toEqual({ locked: true, value: 1 });
  expect(await journal.read(interrupted)).toBeUndefined();
  expect((await deadLetters.list()).items.map((item) => item.id)).toEqual([held]);
  expect(await sweep()).toBe(1);
  expect(await deadLetters.count()).toBe(0);
});

it('removes each entry once when every replica sweeps at the same time', async () => {
  const { deadLetterQueue, deadLetters, putAside, sweep } = await gateway();
  for (let i = 0; i < 120; i++) await putAside(31 + (i % 10));
  // Built beforehand, so that no sweep leaves its turn to another's build.
  expect(await deadLetters.count()).toBe(120);
  const removed = await Promise.all([sweep(RETENTION_SECONDS, 10), sweep(RETENTION_SECONDS, 10), sweep()]);
  expect(removed.reduce((sum, n) => sum + n, 0)).toBe(120);
  expect(await deadLetterQueue.count()).toBe(0);
});

it('keeps everything when the retention is 0', async () => {
  const { deadLetters, putAside, sweep } = await gateway();
  await putAside(3_650);
  expect(await sweep(0)).toBe(0);
  expect(await deadLetters.count()).toBe(1);
});
