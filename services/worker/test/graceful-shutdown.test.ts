import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { redisKeyPrefix } from '@sms/config';
import { createProducerConnection, createSmsQueue, enqueueSms } from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import {
  freePort,
  type RunningSimulator,
  startRedis,
  startSimulator,
  type TestRedis,
  waitFor,
} from '@sms/testing';

// Fault: SIGTERM reaches the worker process while sends are in flight (Kaarai answers slowly).
// Invariant: the worker finishes those sends before it exits, each delivered exactly once.
let redis: TestRedis;
let simulator: RunningSimulator;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  [redis, simulator] = await Promise.all([startRedis(), startSimulator({ https: true })]);
});
afterAll(async () => {
  worker?.kill('SIGKILL');
  await simulator?.stop();
  await redis?.stop();
});

it('finishes the sends in flight on SIGTERM, then exits cleanly', async () => {
  const queuePrefix = `t${randomUUID().slice(0, 8)}`;
  const prefix = redisKeyPrefix(queuePrefix);
  const port = await freePort();
  worker = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../src/main.ts')], {
    env: {
      ...process.env,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: queuePrefix,
      KAARAI_URL: simulator.httpsUrl!,
      KAARAI_CA_FILE: simulator.caFile!,
      KAARAI_USER: 'gateway',
      KAARAI_PASSWORD: 'secret',
      WORKER_HTTP_PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((done) => worker!.once('exit', (code) => done(code)));
  await waitFor(() => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok), {
    timeoutMs: 30_000,
    description: 'the worker to be ready',
  });

  await simulator.admin.setFaults({ latencyMs: 1_500 });
  const connection = createProducerConnection(redis.target);
  const queue = createSmsQueue({ connection, prefix });
  const statusStore = new StatusStore(connection, { prefix });
  const ids = Array.from({ length: 3 }, () => randomUUID());
  const texts = ids.map((id) => `in flight ${id}`);
  await Promise.all(
    ids.map((id, i) =>
      enqueueSms(
        queue,
        id,
        { to: '573001234567', text: texts[i]!, client: 'billing', acceptedAt: Date.now() },
        {
          attempts: 3,
        },
      ),
    ),
  );
  await waitFor(async () => (await simulator.admin.stats()).requests >= 3, {
    description: 'three sends in flight',
  });

  worker.kill('SIGTERM');
  expect(await exited).toBe(0);
  for (const id of ids) expect(await statusStore.read(id)).toMatchObject({ status: 'accepted', attempts: 1 });
  expect(await simulator.admin.tally(texts)).toMatchObject({ delivered: 3, duplicated: [], lost: [] });
  await queue.close();
  connection.disconnect();
});
