import { randomUUID } from 'node:crypto';
import type { SmsJobData } from '@sms/contracts';
import { startRedis, type TestRedis } from '@sms/testing';
import { Redis } from 'ioredis';
import { enqueueBeforeDeadline } from './enqueue-before-deadline';
import { createProducerConnection } from './redis-connections';
import { createSmsQueue } from './sms-queue';

// The gateway's connections speak RESP3 (see "RESP3" in the README) while BullMQ's code and ours
// parse replies in RESP2's shapes: the replies that differ between the two protocols on the wire
// must reach the code as they did over RESP2.
let redis: TestRedis;
let resp3: Redis;
let resp2: Redis;
beforeAll(async () => {
  redis = await startRedis();
  resp3 = createProducerConnection(redis.target, { lazyConnect: true });
  await resp3.connect();
  resp2 = new Redis(redis.url, { protocol: 2 });
});
afterAll(async () => {
  resp3?.disconnect();
  resp2?.disconnect();
  await redis?.stop();
});

it('negotiates RESP3', async () => {
  expect(String(await resp3.client('INFO'))).toMatch(/ resp=3\b/);
  expect(String(await resp2.client('INFO'))).toMatch(/ resp=2\b/);
});

it('answers maps, doubles, nulls and script replies as RESP2 does', async () => {
  const key = `{resp-test}:${randomUUID()}`;
  await resp2.hset(`${key}:h`, 'a', '1', 'b', '2');
  await resp2.zadd(`${key}:z`, 1.5, 'm');
  const replies = (connection: Redis) =>
    Promise.all([
      connection.call('HGETALL', `${key}:h`),
      connection.zscore(`${key}:z`, 'm'),
      connection.zrange(`${key}:z`, 0, -1, 'WITHSCORES'),
      connection.config('GET', 'maxmemory-policy'),
      connection.eval("return redis.call('GET', KEYS[1])", 1, `${key}:none`),
      connection.eval('return {1, false, true, 3.7}', 0),
      connection.eval("return redis.call('HGETALL', KEYS[1])", 1, `${key}:h`),
    ]);
  expect(await replies(resp3)).toEqual(await replies(resp2));
});

it("adds jobs through BullMQ's scripts as over RESP2", async () => {
  const prefix = `{resp-test-${randomUUID()}}`;
  const acceptedAt = Date.now();
  const data: SmsJobData = {
    to: '573001234567',
    text: 'Hi',
    client: 'test',
    acceptedAt,
    expiresAt: acceptedAt + 60_000,
  };
  const queues = [
    createSmsQueue({ connection: resp3, prefix }),
    createSmsQueue({ connection: resp2, prefix }),
  ];
  try {
    await enqueueBeforeDeadline(queues[0]!, [{ id: 'a', data }], { attempts: 3 }, Date.now() + 10_000);
    await enqueueBeforeDeadline(queues[1]!, [{ id: 'b', data }], { attempts: 3 }, Date.now() + 10_000);
    for (const queue of queues) {
      expect((await queue.getWaiting()).map((job) => [job.id, job.data, job.opts.attempts])).toEqual([
        ['a', data, 3],
        ['b', data, 3],
      ]);
      expect(await queue.getJobCounts('waiting', 'delayed')).toEqual({ waiting: 2, delayed: 0 });
    }
  } finally {
    await Promise.all(queues.map((queue) => queue.close()));
  }
});
