import { randomUUID } from 'node:crypto';
import { type ApiProcess, startApiProcess, startRedis, type TestRedis } from '@sms/testing';

// The API process serves clients on API_PORT and its internal routes (/metrics with every
// client's name and volumes, the operators' /v1/admin and the queue UI) on ADMIN_PORT only, so
// that a NetworkPolicy or a firewall can keep them from clients. Probes work on both.

const ADMIN_KEY = 'internal-admin-key-0123456789';

let redis: TestRedis;
let api: ApiProcess;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiProcess({
    redisUrl: redis.url,
    prefix: `i${randomUUID().slice(0, 8)}`,
    env: { ADMIN_API_KEYS: `ops=${ADMIN_KEY}` },
  });
});

afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const INTERNAL = [
  ['/metrics', {}],
  ['/v1/admin/dead-letters', admin],
  ['/admin/queues/', admin],
] as const;

it.each(INTERNAL)(
  'answers %s on the internal port only; the client port answers 404, 4040',
  async (path, headers) => {
    expect((await fetch(`${api.adminUrl}${path}`, { headers })).status).toBe(200);
    const refused = await fetch(`${api.url}${path}`, { headers });
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ code: 4040 });
  },
);

it('takes messages on the client port only', async () => {
  expect((await api.post({ to: '573001234567', text: 'hi' })).status).toBe(202);
  const refused = await fetch(`${api.adminUrl}/v1/sms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: '573001234567', text: 'hi' }),
  });
  expect(refused.status).toBe(404);
});

it.each(['/healthz', '/readyz'])('answers %s on both ports', async (path) => {
  expect((await fetch(`${api.url}${path}`)).status).toBe(200);
  expect((await fetch(`${api.adminUrl}${path}`)).status).toBe(200);
});
