import { randomUUID } from 'node:crypto';
import {
  type RedisServer,
  type RunningSimulator,
  startRedisServer,
  startSimulator,
  waitFor,
} from '@sms/testing';
import Redis from 'ioredis';
import { startWorker, type WorkerUnderTest } from './start-worker';

// A server of our own: the test sets its maxmemory.
let redis: RedisServer;
let admin: Redis;
let simulator: RunningSimulator;
let worker: WorkerUnderTest;

beforeAll(async () => {
  [redis, simulator] = await Promise.all([startRedisServer(), startSimulator({ https: true })]);
  admin = new Redis(redis.url);
  worker = await startWorker(redis.url, { kaaraiUrl: simulator.httpsUrl!, ca: simulator.ca! });
});
afterAll(async () => {
  await admin?.config('SET', 'maxmemory', '0');
  admin?.disconnect();
  await worker?.stop();
  await simulator?.stop();
  await redis?.stop();
});

it('records what Kaarai answered once Redis takes writes again, using no attempt, sending once', async () => {
  await simulator.admin.setFaults({ latencyMs: 800 });
  const texts = Array.from({ length: 4 }, (_, i) => `refused ${randomUUID()} #${i}`);
  const ids = await Promise.all(texts.map((text) => worker.send({ to: '573001234567', text })));
  await waitFor(
    async () =>
      (await Promise.all(ids.map((id) => worker.statusStore.read(id)))).every((r) => r?.status === 'sending'),
    { timeoutMs: 5_000, description: 'every message to be sending' },
  );

  // Kaarai takes the messages while Redis refuses every write that would record it.
  await admin.config('SET', 'maxmemory', '1');
  try {
    await waitFor(
      async () => (await simulator.admin.tally(texts)).delivered === 4 && worker.writeHealth.refusing,
      {
        timeoutMs: 10_000,
        description: 'Kaarai to have the messages and the worker to meet the refusal',
      },
    );
    expect(worker.writeHealth.refusing).toMatchObject({ code: 'OOM' });
    expect(worker.worker.isPaused()).toBe(true);
    expect((await Promise.all(ids.map((id) => worker.statusStore.read(id)))).map((r) => r?.status)).toEqual(
      Array(4).fill('sending'),
    );
  } finally {
    await admin.config('SET', 'maxmemory', '0');
  }

  const records = await waitFor(
    async () => {
      const all = await Promise.all(ids.map((id) => worker.statusStore.read(id)));
      return all.every((r) => r?.status === 'accepted') && all;
    },
    { timeoutMs: 15_000, description: 'every message to be recorded accepted' },
  );
  expect(records.map((r) => r?.attempts)).toEqual([1, 1, 1, 1]);
  expect(await simulator.admin.tally(texts)).toMatchObject({ delivered: 4, duplicated: [], lost: [] });
  await waitFor(() => !worker.worker.isPaused(), { description: 'the worker to take jobs again' });
  expect(worker.writeHealth.refusing).toBeUndefined();
});
