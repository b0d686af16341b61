import { randomUUID } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { CallbackOutbox, GivenUpCallbacks } from '@sms/callbacks';
import { createDeadLetterQueue, createProducerConnection, waitForRedis } from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import { type RedisServer, seedDeadLetter, startRedisServer, waitFor } from '@sms/testing';
import Redis from 'ioredis';
import pino from 'pino';
import { createWorkerRuntime } from '../src/create-worker-runtime';
import { workerTestConfig } from './start-worker';

// createWorkerRuntime is the worker main.ts runs: started here in-process, it answers its probes,
// stops once however often it is asked to, and a start that cannot listen leaves nothing running.
// No message is sent, so Kaarai's URL is never called.

// A server of our own: the second test counts its clients.
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

const config = () => workerTestConfig(redis.url, { kaaraiUrl: 'https://127.0.0.1:9/api/v1/sms/send' });
const logger = pino({ level: 'silent' });

it('answers /readyz once started, and stops once however often stop() is called', async () => {
  const runtime = createWorkerRuntime(config(), { logger });
  const { port, worker } = await runtime.start();
  const readyz = await fetch(`http://127.0.0.1:${port}/readyz`);
  expect(readyz.status).toBe(200);
  expect(await readyz.json()).toEqual({
    status: 'ready',
    redis: 'ok',
    concurrency: 8,
    sending: { state: 'open' },
  });

  const [first, second] = [runtime.stop(), runtime.stop()];
  expect(second).toBe(first);
  await first;
  expect(worker.isRunning()).toBe(false);
  await expect(fetch(`http://127.0.0.1:${port}/readyz`)).rejects.toThrow();
  await expect(runtime.start()).rejects.toThrow('the worker was stopped');
});

it('rejects a start whose status server cannot listen, having closed what it opened', async () => {
  const taken = createServer();
  await new Promise<void>((listening) => taken.listen(0, '127.0.0.1', listening));
  const { port } = taken.address() as AddressInfo;
  const admin = new Redis(redis.url);
  const clients = async () => ((await admin.client('LIST')) as string).trim().split('\n').length;
  try {
    const runtime = createWorkerRuntime({ ...config(), WORKER_HTTP_PORT: port }, { logger });
    await expect(runtime.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await waitFor(async () => (await clients()) === 1, {
      timeoutMs: 5_000,
      description: 'only the test itself to be connected to Redis',
    });
    await runtime.stop();
  } finally {
    taken.close();
    admin.disconnect();
  }
});

it('removes the dead letters older than DEAD_LETTER_RETENTION_SECONDS once started', async () => {
  const prefix = `r${randomUUID().slice(0, 8)}`;
  const connection = createProducerConnection({ kind: 'server', url: redis.url });
  await waitForRedis(connection, { warn: () => {} });
  const deadLetterQueue = createDeadLetterQueue({ connection, prefix });
  const target = { deadLetterQueue, statusStore: new StatusStore(connection, { prefix }) };
  const old = await seedDeadLetter(target, { deadLetteredAt: Date.now() - 2 * 86_400_000 });
  const recent = await seedDeadLetter(target, { deadLetteredAt: Date.now() - 60_000 });
  const runtime = createWorkerRuntime(
    { ...config(), DEAD_LETTER_RETENTION_SECONDS: 86_400 },
    { logger, keyPrefix: prefix },
  );
  try {
    await runtime.start();
    await waitFor(async () => (await deadLetterQueue.getJob(old)) === undefined, {
      timeoutMs: 10_000,
      description: 'the dead letter past its retention to be removed',
    });
    expect(await deadLetterQueue.getJob(recent)).toBeDefined();
  } finally {
    await runtime.stop();
    await deadLetterQueue.close();
    connection.disconnect();
  }
});

it('removes the given-up callbacks older than CALLBACK_FAILED_RETENTION_SECONDS once started', async () => {
  const prefix = `r${randomUUID().slice(0, 8)}`;
  const connection = createProducerConnection({ kind: 'server', url: redis.url });
  await waitForRedis(connection, { warn: () => {} });
  // Given up two days and a minute ago, on a clock of the test's; the worker's is the real one.
  const giveUpAt = async (at: number) => {
    const now = () => at;
    const outbox = new CallbackOutbox(connection, { prefix, retentionSeconds: 3600, now });
    const givenUp = new GivenUpCallbacks(connection, {
      prefix,
      retentionSeconds: 86_400,
      outboxRetentionSeconds: 3600,
      now,
    });
    const messageId = randomUUID();
    await outbox.push(messageId, {
      client: 'shop',
      url: 'https://hooks.shop.internal/',
      status: 'accepted',
      at,
    });
    await givenUp.giveUp(messageId, (await outbox.head(messageId))!, { lastError: '503', attempts: 2 });
    return { id: `${messageId}:1`, givenUp };
  };
  const old = await giveUpAt(Date.now() - 2 * 86_400_000);
  const recent = await giveUpAt(Date.now() - 60_000);
  const runtime = createWorkerRuntime(
    { ...config(), CALLBACK_FAILED_RETENTION_SECONDS: 86_400 },
    { logger, keyPrefix: prefix },
  );
  try {
    await runtime.start();
    await waitFor(async () => (await old.givenUp.show(old.id)) === undefined, {
      timeoutMs: 10_000,
      description: 'the given-up callback past its retention to be removed',
    });
    expect(await recent.givenUp.show(recent.id)).toBeDefined();
    expect(await recent.givenUp.counts()).toEqual({ givenUp: 1, replayed: 0 });
  } finally {
    await runtime.stop();
    connection.disconnect();
  }
});
