import { randomUUID } from 'node:crypto';
import type { SmsJobData } from '@sms/contracts';
import { createWorkerMetrics } from '@sms/metrics';
import {
  createDeadLetterQueue,
  createSmsQueue,
  createWorkerConnection,
  enqueueSms,
  redisRefusalOf,
  SMS_QUEUE,
} from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import { type RedisServer, startRedisServer, waitFor } from '@sms/testing';
import { Worker } from 'bullmq';
import type Redis from 'ioredis';
import { sweepGivenUpJobs } from '../src/record-given-up-job';

// A server of our own: the tests set its maxmemory.
let redis: RedisServer;
let connection: Redis;
beforeAll(async () => {
  redis = await startRedisServer();
  connection = createWorkerConnection(redis.target);
});
afterAll(async () => {
  connection?.disconnect();
  await redis?.stop();
});

/** A send queue with one job that BullMQ gave up on: its processor threw on its only attempt. */
async function queueWithGivenUpJob(extra: Partial<SmsJobData> = {}) {
  const prefix = `g${randomUUID().slice(0, 8)}`;
  const queue = createSmsQueue({ connection, prefix });
  const deadLetterQueue = createDeadLetterQueue({ connection, prefix });
  const statusStore = new StatusStore(connection, { prefix });
  const id = randomUUID();
  const data: SmsJobData = {
    to: '573001234567',
    text: 'given up',
    client: 'billing',
    acceptedAt: Date.now(),
    requestId: 'r1',
    ...extra,
  };
  await enqueueSms(queue, id, data, { attempts: 1 });
  const failing = new Worker<SmsJobData>(
    SMS_QUEUE,
    async () => {
      throw new Error('a bug in the processor');
    },
    { connection: createWorkerConnection(redis.target), prefix },
  );
  await waitFor(async () => (await queue.getFailedCount()) === 1, { description: 'the job to fail' });
  await failing.close();
  await failing.disconnect();
  const deps = { statusStore, deadLetterQueue, metrics: createWorkerMetrics() };
  return { id, queue, deadLetterQueue, statusStore, deps };
}

it('keeps a given-up job while Redis refuses the final writes, and ends it once Redis takes them', async () => {
  const { id, queue, deadLetterQueue, statusStore, deps } = await queueWithGivenUpJob();

  await connection.config('SET', 'maxmemory', '1');
  try {
    const refused = await sweepGivenUpJobs(queue, deps).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(redisRefusalOf(refused)).toMatchObject({ code: 'OOM' });
  } finally {
    await connection.config('SET', 'maxmemory', '0');
  }
  expect(await queue.getFailedCount()).toBe(1);
  expect(await statusStore.read(id)).toBeUndefined();

  expect(await sweepGivenUpJobs(queue, deps)).toEqual([id]);
  expect(await statusStore.read(id)).toMatchObject({
    status: 'failed',
    lastMessage: 'a bug in the processor',
  });
  expect((await deadLetterQueue.getJob(id))?.data).toMatchObject({
    reason: 'retries_exhausted',
    message: 'a bug in the processor',
    text: 'given up',
  });
  expect(await queue.getJob(id)).toBeUndefined();
  expect(await sweepGivenUpJobs(queue, deps)).toEqual([]);
});

it('removes a given-up job whose message is final already, leaving its status and adding no dead letter', async () => {
  const { id, queue, deadLetterQueue, statusStore, deps } = await queueWithGivenUpJob();
  await statusStore.write(id, {
    status: 'accepted',
    attempts: 1,
    lastCode: 2020,
    client: 'billing',
    to: '57',
    createdAt: 1,
  });

  expect(await sweepGivenUpJobs(queue, deps)).toEqual([]);
  expect(await statusStore.read(id)).toMatchObject({ status: 'accepted', lastCode: 2020 });
  expect(await deadLetterQueue.getJob(id)).toBeUndefined();
  expect(await queue.getJob(id)).toBeUndefined();
});

it.each([
  ['still sending: an admitted call may have reached Kaarai', 'sending', 'unknown', undefined],
  ['retrying: no call is in doubt', 'retrying', 'failed', 'retries_exhausted'],
] as const)('ends a given-up at-most-once message %s', async (_name, recorded, status, deadLetterReason) => {
  const { id, queue, deadLetterQueue, statusStore, deps } = await queueWithGivenUpJob({
    delivery: 'at-most-once',
  });
  await statusStore.write(id, { status: recorded, attempts: 1, client: 'billing', to: '57', createdAt: 1 });

  expect(await sweepGivenUpJobs(queue, deps)).toEqual([id]);
  expect(await statusStore.read(id)).toMatchObject({ status, delivery: 'at-most-once' });
  expect((await deadLetterQueue.getJob(id))?.data.reason).toBe(deadLetterReason);
  expect(await queue.getJob(id)).toBeUndefined();
});
