import { randomUUID } from 'node:crypto';
import { startRedis, type TestRedis } from '@sms/testing';
import Redis from 'ioredis';
import { CallbackOutbox } from './callback-outbox';
import { type CallbackQueue, createCallbackQueue } from './callback-queue';
import { resumeStrandedCallbacks } from './resume-stranded-callbacks';

// Real Redis and a real BullMQ queue; only the outbox's clock is the test's.
let server: TestRedis;
let redis: Redis;
const queues: CallbackQueue[] = [];
let clock: number;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
  redis?.disconnect();
  await server?.stop();
});

function setup() {
  clock = 1_000_000;
  const prefix = `{c${randomUUID().slice(0, 8)}}`;
  const outbox = new CallbackOutbox(redis, { prefix, retentionSeconds: 3600, now: () => clock });
  const queue = createCallbackQueue({ connection: redis, prefix });
  queues.push(queue);
  return { outbox, queue };
}

const event = { client: 'shop', url: 'https://hooks.shop.internal/sms', status: 'accepted' as const, at: 1 };
const settings = { attempts: 3, staleAfterMs: 60_000, batch: 100 };

it('gives a job to an outbox left without one, once it has not moved for the stale time', async () => {
  const { outbox, queue } = setup();
  await outbox.push('m1', event);
  expect(await resumeStrandedCallbacks(outbox, queue, settings)).toBe(0);
  expect(await queue.count()).toBe(0);

  clock += 61_000;
  expect(await resumeStrandedCallbacks(outbox, queue, settings)).toBe(1);
  const [job] = await queue.getJobs(['waiting']);
  expect(job?.data).toEqual({ messageId: 'm1', client: 'shop' });
  // Looked after: not picked again until it goes stale once more.
  expect(await resumeStrandedCallbacks(outbox, queue, settings)).toBe(0);
});

it('forgets an outbox once its last event is settled', async () => {
  const { outbox, queue } = setup();
  await outbox.push('m2', event);
  const head = await outbox.head('m2');
  expect(await outbox.remove('m2', head!)).toBe(0);
  clock += 61_000;
  expect(await outbox.stale(60_000, 10)).toEqual([]);
  expect(await resumeStrandedCallbacks(outbox, queue, settings)).toBe(0);
});

it('adds no second job for a message whose job still waits', async () => {
  const { outbox, queue } = setup();
  await outbox.push('m3', event);
  clock += 61_000;
  await resumeStrandedCallbacks(outbox, queue, settings);
  clock += 61_000;
  await resumeStrandedCallbacks(outbox, queue, settings);
  expect(await queue.count()).toBe(1);
});
