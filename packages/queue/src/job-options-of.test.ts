import { randomUUID } from 'node:crypto';
import type { SmsJobData } from '@sms/contracts';
import { startRedis, type TestRedis } from '@sms/testing';
import { enqueueBeforeDeadline } from './enqueue-before-deadline';
import { jobOptionsOf } from './job-options-of';
import { createProducerConnection } from './redis-connections';
import { createSmsQueue, enqueueSms } from './sms-queue';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const acceptedAt = Date.now();
const message: SmsJobData = {
  to: '573001234567',
  text: 'hi',
  client: 'billing',
  acceptedAt,
  priority: 'bulk',
  sendAt: acceptedAt + 60_000,
};

it("joins every send job's options, its message's and its id", () => {
  expect(jobOptionsOf('m1', message, { attempts: 3 }, acceptedAt)).toEqual({
    attempts: 3,
    backoff: { type: 'sms-backoff' },
    removeOnComplete: true,
    removeOnFail: false,
    priority: 1,
    delay: 60_000,
    jobId: 'm1',
  });
});

it('gives a message the same job options added alone or with a deadline', async () => {
  const connection = createProducerConnection(redis.target);
  const queue = createSmsQueue({ connection, prefix: `q${randomUUID().slice(0, 8)}` });
  try {
    await enqueueSms(queue, 'alone', message, { attempts: 3 });
    await enqueueBeforeDeadline(
      queue,
      [{ id: 'in-bulk', data: message }],
      { attempts: 3 },
      Date.now() + 60_000,
    );
    const [alone, inBulk] = await Promise.all([queue.getJob('alone'), queue.getJob('in-bulk')]);
    // The delay counts from each add's own clock, a few milliseconds apart.
    const { jobId: _a, delay: aloneDelay, ...aloneOptions } = alone!.opts;
    const { jobId: _b, delay: bulkDelay, ...bulkOptions } = inBulk!.opts;
    expect(bulkOptions).toEqual(aloneOptions);
    expect(aloneOptions).toMatchObject({ attempts: 3, priority: 1 });
    expect(Math.abs(aloneDelay! - bulkDelay!)).toBeLessThan(5_000);
  } finally {
    await queue.close();
    connection.disconnect();
  }
});
