import { randomUUID } from 'node:crypto';
import { type RedisServer, startRedisServer, waitFor } from '@sms/testing';
import { Redis } from 'ioredis';
import { type RunningApi, startApi } from './start-api';

// Fault: the API's Redis is stopped (SIGSTOP) while requests wait for it, and continued after
// they were answered 503 or while they still wait: what the API wrote meanwhile runs late.
// Invariant: an enqueue that Redis runs after its deadline stores nothing, whether the API
// answered 503 before (counted in sms_api_late_enqueues_total) or learns it from Redis (503 at
// once); a repeat with the same Idempotency-Key then stores the message once.
let redis: RedisServer;
let inspect: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  inspect = new Redis(redis.url);
});
afterAll(async () => {
  redis?.thaw();
  inspect?.disconnect();
  await redis?.stop();
});

const sms = (text: string) => ({ to: '573001234567', text });

/** The send jobs of an API's queue: the keys of their hashes, named by message ids (UUIDs). */
async function jobKeys(api: RunningApi): Promise<string[]> {
  const keys = await inspect.keys(`${api.prefix}:sms:*`);
  return keys.filter((key) => /:[0-9a-f-]{36}$/.test(key));
}

async function lateEnqueues(api: RunningApi): Promise<Record<string, number>> {
  const { values } = await api.metrics.lateEnqueues.get();
  return Object.fromEntries(values.map(({ labels, value }) => [String(labels.outcome), value]));
}

it('stores nothing that Redis runs after the API answered 503, and counts it as refused', async () => {
  const api = await startApi(redis.url, { redisTimeoutMs: 1_000 });
  try {
    const key = randomUUID();
    redis.freeze();
    let answers: Response[];
    try {
      answers = await Promise.all([
        api.post('/v1/sms', sms('alone')),
        api.post('/v1/sms', sms('keyed'), { 'idempotency-key': key }),
        api.post('/v1/sms/batch', { messages: [sms('first of two'), sms('second of two')] }),
      ]);
    } finally {
      redis.thaw();
    }
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({
        code: 5030,
        message: expect.stringContaining('not stored'),
      });
    }
    await waitFor(async () => (await lateEnqueues(api)).refused === 3, {
      description: 'the three late enqueues to be refused',
    });
    expect(await lateEnqueues(api)).toEqual({ refused: 3 });
    expect(await jobKeys(api)).toEqual([]);

    const again = await api.post('/v1/sms', sms('keyed'), { 'idempotency-key': key });
    expect(again.status).toBe(202);
    const { id } = (await again.json()) as { id: string };
    expect(await (await api.get(`/v1/sms/${id}`)).json()).toMatchObject({ status: 'queued' });
    expect(await jobKeys(api)).toEqual([`${api.prefix}:sms:${id}`]);
  } finally {
    await api.stop();
  }
});

it('answers 503 at once, saying the message was refused, when Redis runs the enqueue past its deadline', async () => {
  // The deadline falls two thirds of the way to the API's timeout: 3 s of 4.5 s.
  const api = await startApi(redis.url, { redisTimeoutMs: 4_500 });
  try {
    const startedAt = Date.now();
    redis.freeze();
    let answer: Promise<Response>;
    try {
      answer = api.post('/v1/sms/batch', { messages: [sms('late one'), sms('late two')] });
      await waitFor(() => Date.now() - startedAt >= 3_200, { timeoutMs: 5_000, description: 'the deadline' });
    } finally {
      redis.thaw();
    }
    const res = await answer;
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ code: 5030, message: expect.stringContaining('refused') });
    expect(Date.now() - startedAt).toBeLessThan(4_500);
    expect(await lateEnqueues(api)).toEqual({});
    expect(await jobKeys(api)).toEqual([]);
  } finally {
    await api.stop();
  }
});
