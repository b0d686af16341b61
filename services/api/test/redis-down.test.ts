import { type RedisServer, startRedisServer, waitFor } from '@sms/testing';
import { type RunningApi, startApi } from './start-api';

// Fault: the API's Redis stops. Invariant: the API answers at once with 503/5030 and a
// Retry-After (never a 202 for a message Redis does not hold), and recovers when Redis returns.
let redis: RedisServer;
let api: RunningApi;

beforeAll(async () => {
  redis = await startRedisServer();
  api = await startApi(redis.url);
});
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

it('answers 503 with 5030 and Retry-After while Redis is down, and 202 again once it is back', async () => {
  expect((await api.post('/v1/sms', { to: '573001234567', text: 'before' })).status).toBe(202);
  await redis.stop();

  const res = await api.post('/v1/sms', { to: '573001234567', text: 'during' });
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('5');
  expect(await res.json()).toMatchObject({ code: 5030 });

  const ready = await fetch(`${api.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
  expect(ready.status).toBe(503);
  const lookup = await api.get('/v1/sms/00000000-0000-0000-0000-000000000000');
  expect(lookup.status).toBe(503);

  await redis.restart();
  const after = await waitFor(
    async () => {
      const r = await api.post('/v1/sms', { to: '573001234567', text: 'after' });
      return r.status === 202 ? r : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 200, description: 'the API to accept again after Redis restarted' },
  );
  const { id } = (await after.json()) as { id: string };
  expect(await api.queue.getJob(id)).toBeDefined();
});
