import { randomUUID } from 'node:crypto';
import type { SmsJobData } from '@sms/contracts';
import { createSmsQueue, createWorkerConnection, enqueueSms, SMS_QUEUE } from '@sms/queue';
import { startRedis, type TestRedis, waitFor } from '@sms/testing';
import { Worker } from 'bullmq';
import type Redis from 'ioredis';
import { jobLockOf } from '../src/job-lock';

// BullMQ has no public name for a job's lock; jobLockOf names it from BullMQ's scripts. A BullMQ
// that moves or renames it fails here rather than in the sending gate's admissions.
let redis: TestRedis;
let connection: Redis;
beforeAll(async () => {
  redis = await startRedis();
  connection = createWorkerConnection(redis.target);
});
afterAll(async () => {
  connection?.disconnect();
  await redis?.stop();
});

it("names the key where BullMQ keeps an active job's lock, holding the worker's token", async () => {
  const prefix = `{lock-${randomUUID().slice(0, 8)}}`;
  const queue = createSmsQueue({ connection, prefix });
  const seen: { key: string; token: string; stored: string | null }[] = [];
  const worker = new Worker<SmsJobData>(
    SMS_QUEUE,
    async (job, token) => {
      const lock = jobLockOf(job, token!);
      seen.push({ ...lock, stored: await connection.get(lock.key) });
    },
    { connection, prefix },
  );
  try {
    const id = randomUUID();
    await enqueueSms(
      queue,
      id,
      { to: '573001234567', text: 'locked', client: 'billing', acceptedAt: Date.now() },
      { attempts: 1 },
    );
    await waitFor(async () => seen.length > 0 || undefined, {
      timeoutMs: 10_000,
      description: 'the job to run',
    });
    expect(seen[0]!.key).toBe(`${prefix}:${SMS_QUEUE}:${id}:lock`);
    expect(seen[0]!.stored).toBe(seen[0]!.token);
  } finally {
    await worker.close();
    await queue.close();
  }
});
