import { randomUUID } from 'node:crypto';
import type { SmsJobData, SmsPriority } from '@sms/contracts';
import { startRedis, type TestRedis } from '@sms/testing';
import { Worker } from 'bullmq';
import { messageJobOptions } from './message-job-options';
import { createProducerConnection, createWorkerConnection } from './redis-connections';
import { createSmsQueue, enqueueSms } from './sms-queue';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const message = (priority?: SmsPriority): SmsJobData => ({
  to: '573001234567',
  text: 'hi',
  client: 'billing',
  acceptedAt: Date.now(),
  ...(priority && { priority }),
});

describe('messageJobOptions', () => {
  it('puts high at the taking end of the wait list, normal at the other, bulk in the prioritized set', () => {
    expect(messageJobOptions(message('high'))).toEqual({ lifo: true });
    expect(messageJobOptions(message('normal'))).toEqual({});
    expect(messageJobOptions(message())).toEqual({});
    expect(messageJobOptions(message('bulk'))).toEqual({ priority: 1 });
  });

  it('delays a message until its sendAt, and not one whose sendAt has passed', () => {
    expect(messageJobOptions({ sendAt: 61_000 }, 1_000)).toEqual({ delay: 60_000 });
    expect(messageJobOptions({ sendAt: 1_000, priority: 'bulk' }, 1_000)).toEqual({ priority: 1 });
    expect(messageJobOptions({ sendAt: 500 }, 1_000)).toEqual({});
  });
});

it('makes a BullMQ worker take high, then normal in order of arrival, then bulk', async () => {
  const prefix = `q${randomUUID().slice(0, 8)}`;
  const connection = createProducerConnection(redis.target);
  const queue = createSmsQueue({ connection, prefix });
  const order: [string, SmsPriority][] = [
    ['b1', 'bulk'],
    ['n1', 'normal'],
    ['h1', 'high'],
    ['b2', 'bulk'],
    ['n2', 'normal'],
    ['h2', 'high'],
    ['n3', 'normal'],
  ];
  for (const [id, priority] of order) await enqueueSms(queue, id, message(priority), { attempts: 1 });

  // No processor: the test takes the jobs itself, one at a time, as a worker would.
  const workerConnection = createWorkerConnection(redis.target);
  const worker = new Worker(queue.name, null, { connection: workerConnection, prefix });
  const taken: string[] = [];
  for (let i = 0; i < order.length; i++) {
    const job = await worker.getNextJob('token', { block: false });
    taken.push(job!.id!);
    await job!.moveToCompleted('done', 'token', false);
  }
  expect(taken).toEqual(['h2', 'h1', 'n1', 'n2', 'n3', 'b1', 'b2']);
  await worker.close();
  await queue.close();
  workerConnection.disconnect();
  connection.disconnect();
});
