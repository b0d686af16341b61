import { randomUUID } from 'node:crypto';
import { startRedis, type TestRedis } from '@sms/testing';
import { type RunningApi, startApi } from './start-api';

// With REDIS_WAIT_REPLICAS, a 202 means that many replicas hold the message. Here Redis has no
// replica, so no message is ever confirmed. Invariant: the API never answers 202 then, but 503
// with 5030 telling the caller to retry with the same Idempotency-Key; the message it stored
// anyway is the one a retry would name, never a second one.
let redis: TestRedis;
let api: RunningApi;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApi(redis.url, {}, undefined, { waitReplicas: 1 });
});
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

it('answers 503 with 5030 and Retry-After when no replica confirms the message', async () => {
  const key = randomUUID();
  const first = await api.post(
    '/v1/sms',
    { to: '573001234567', text: 'unconfirmed' },
    { 'idempotency-key': key },
  );
  expect(first.status).toBe(503);
  expect(first.headers.get('retry-after')).toBe('5');
  const body = (await first.json()) as { code: number; message: string };
  expect(body.code).toBe(5030);
  expect(body.message).toMatch(/replica.*retry with the same Idempotency-Key/);

  // The primary holds it: a retry finds the same message rather than making another.
  const again = await api.post(
    '/v1/sms',
    { to: '573001234567', text: 'unconfirmed' },
    { 'idempotency-key': key },
  );
  expect(again.status).toBe(503);
  expect((await api.queue.getJobCounts('waiting')).waiting).toBe(1);
});

it('still answers status reads and readiness, which do not wait for replicas', async () => {
  expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
  expect((await api.get('/v1/sms/00000000-0000-0000-0000-000000000000')).status).toBe(404);
});
