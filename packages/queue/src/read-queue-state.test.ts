import { randomUUID } from 'node:crypto';
import { startRedis, type TestRedis } from '@sms/testing';
import { archiveStreamKeys } from './archive-stream-keys';
import { createDeadLetterQueue, deadLetter } from './dead-letter-queue';
import { readArchiveBacklog } from './read-archive-backlog';
import { DUE_WITHIN_MS, readQueueState } from './read-queue-state';
import { createProducerConnection } from './redis-connections';
import { createSmsQueue, enqueueSms } from './sms-queue';
import { waitForRedis } from './wait-for-redis';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

it('counts waiting and delayed jobs and ages the oldest waiting one', async () => {
  const connection = createProducerConnection(redis.target);
  const queue = createSmsQueue({ connection, prefix: `q${randomUUID().slice(0, 8)}` });
  expect(await readQueueState(queue, connection)).toEqual({
    counts: { waiting: 0, delayed: 0, scheduled: 0, active: 0, prioritized: 0, failed: 0 },
    oldestWaitingAgeSeconds: 0,
  });

  const data = { to: '573001234567', text: 'hi', client: 'billing', acceptedAt: Date.now() };
  await enqueueSms(queue, 'first', data, { attempts: 1 });
  const firstAddedAt = Date.now();
  await enqueueSms(queue, 'second', data, { attempts: 1 });
  await queue.add('send', data, { jobId: 'later', delay: 60_000 });

  const state = await readQueueState(queue, connection, firstAddedAt + 30_000);
  expect(state.counts).toMatchObject({ waiting: 2, delayed: 1, scheduled: 0, active: 0 });
  expect(state.oldestWaitingAgeSeconds).toBeGreaterThanOrEqual(29);
  expect(state.oldestWaitingAgeSeconds).toBeLessThanOrEqual(31);
  await queue.close();
  connection.disconnect();
});

it('ages a scheduled job that is due from its send time, not from when it was added', async () => {
  const connection = createProducerConnection(redis.target);
  const queue = createSmsQueue({ connection, prefix: `q${randomUUID().slice(0, 8)}` });
  const addedAt = Date.now();
  const data = {
    to: '573001234567',
    text: 'hi',
    client: 'billing',
    acceptedAt: addedAt,
    sendAt: addedAt + 100,
  };
  await enqueueSms(queue, 'scheduled', data, { attempts: 1 });
  await queue.promoteJobs();

  const state = await readQueueState(queue, connection, addedAt + 60_000);
  expect(state.counts).toMatchObject({ waiting: 1, delayed: 0 });
  expect(state.oldestWaitingAgeSeconds).toBeGreaterThanOrEqual(59.8);
  expect(state.oldestWaitingAgeSeconds).toBeLessThanOrEqual(60);
  await queue.close();
  connection.disconnect();
});

it('counts a delayed job as scheduled until it is due within a minute, then as delayed', async () => {
  const connection = createProducerConnection(redis.target);
  const queue = createSmsQueue({ connection, prefix: `q${randomUUID().slice(0, 8)}` });
  const addedAt = Date.now();
  const tomorrow = addedAt + 86_400_000;
  const data = { to: '573001234567', text: 'hi', client: 'billing', acceptedAt: addedAt, sendAt: tomorrow };
  await enqueueSms(queue, 'campaign', data, { attempts: 1 });
  // BullMQ counts from its own clock when it adds the job: leave a second either side.
  expect((await readQueueState(queue, connection, addedAt)).counts).toMatchObject({
    waiting: 0,
    delayed: 0,
    scheduled: 1,
  });
  const almostDue = tomorrow - DUE_WITHIN_MS + 1_000;
  expect((await readQueueState(queue, connection, almostDue)).counts).toMatchObject({
    delayed: 1,
    scheduled: 0,
  });
  expect((await readQueueState(queue, connection, tomorrow - DUE_WITHIN_MS - 1_000)).counts).toMatchObject({
    delayed: 0,
    scheduled: 1,
  });
  await queue.close();
  connection.disconnect();
});

it('ages the oldest dead letter from when it was dead-lettered, whatever the order of writing', async () => {
  const connection = createProducerConnection(redis.target);
  const queue = createDeadLetterQueue({ connection, prefix: `q${randomUUID().slice(0, 8)}` });
  const now = Date.now();
  expect((await readQueueState(queue, connection, now)).oldestDeadLetterAgeSeconds).toBe(0);

  const entry = { to: '573001234567', text: 'hi', client: 'billing', acceptedAt: now - 7_200_000 };
  const last = { reason: 'rejected', code: 4031, message: 'Not routable', attempts: 1 } as const;
  await deadLetter(queue, 'recent', { ...entry, ...last, deadLetteredAt: now - 60_000 });
  await deadLetter(queue, 'older', { ...entry, ...last, deadLetteredAt: now - 3_600_000 });

  const state = await readQueueState(queue, connection, now);
  expect(state.counts).toMatchObject({ waiting: 2 });
  expect(state.oldestDeadLetterAgeSeconds).toBe(3_600);
  await queue.close();
  connection.disconnect();
});

it('reads the archive backlog: nothing without a stream, then its length, oldest age and overflow', async () => {
  const connection = createProducerConnection(redis.target);
  try {
    await waitForRedis(connection, { warn: () => {} });
    const prefix = `q${randomUUID().slice(0, 8)}`;
    const keys = archiveStreamKeys(prefix);
    const now = Date.now();
    expect(await readArchiveBacklog(connection, prefix, now)).toEqual({
      messages: 0,
      oldestAgeSeconds: 0,
      overflowed: 0,
    });
    await connection.xadd(keys.stream, `${now - 90_000}-0`, 'i', 'old');
    await connection.xadd(keys.stream, `${now - 1_000}-0`, 'i', 'new');
    await connection.incrby(keys.overflow, 3);
    expect(await readArchiveBacklog(connection, prefix, now)).toEqual({
      messages: 2,
      oldestAgeSeconds: 90,
      overflowed: 3,
    });
  } finally {
    connection.disconnect();
  }
});
