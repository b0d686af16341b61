import { startRedis, type TestRedis } from '@sms/testing';
import express from 'express';
import { ADMIN_KEY, OTHER_KEY, type RunningApi, startApi, TEST_KEY } from './start-api';

// A stand-in for the operator routes: it answers who it was called by.
const adminRouter = express.Router();
adminRouter.get('/whoami', (_req, res) => {
  res.json({ operator: res.locals.client });
});
adminRouter.post('/boom', () => {
  throw new Error('failure inside an admin route');
});

let redis: TestRedis;
let api: RunningApi;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApi(redis.url, {}, undefined, { adminRouter });
});
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

function callAdmin(path: string, authorization?: string, method = 'GET'): Promise<Response> {
  return fetch(`${api.adminUrl}/v1/admin${path}`, {
    method,
    headers: authorization === undefined ? {} : { authorization },
  });
}

describe('/v1/admin', () => {
  it('passes a request with an admin key to the admin router, naming the operator', async () => {
    const res = await callAdmin('/whoami', `Bearer ${ADMIN_KEY}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ operator: 'ops' });
    expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
  });

  it.each([
    ['no key', undefined],
    ['a client key', `Bearer ${TEST_KEY}`],
    ['another client key', `Bearer ${OTHER_KEY}`],
    ['a wrong key', 'Bearer not-an-admin-key-0123456789'],
    ['the admin key in the Basic scheme', `Basic ${Buffer.from(`ops:${ADMIN_KEY}`).toString('base64')}`],
  ])('refuses %s with 401 and 4030', async (_name, authorization) => {
    const res = await callAdmin('/whoami', authorization);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 4030 });
  });

  it('checks the key before the route: an unknown admin path without a key is 401', async () => {
    expect((await callAdmin('/no-such-route')).status).toBe(401);
  });

  it('answers an unknown admin path with an admin key 404 and 4040', async () => {
    const res = await callAdmin('/no-such-route', `Bearer ${ADMIN_KEY}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 4040 });
  });

  it('turns an error in an admin route into the generic 500 body', async () => {
    const res = await callAdmin('/boom', `Bearer ${ADMIN_KEY}`, 'POST');
    expect(res.status).toBe(500);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 5000 });
    expect(JSON.stringify(body)).not.toContain('failure inside');
  });

  it('refuses the admin key on the client routes', async () => {
    const res = await api.post(
      '/v1/sms',
      { to: '573001234567', text: 'hi' },
      { authorization: `Bearer ${ADMIN_KEY}` },
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 4030 });
    expect((await api.get('/v1/sms/00000000-0000-0000-0000-000000000000', ADMIN_KEY)).status).toBe(401);
  });

  it('counts admin requests under their own route label', async () => {
    await callAdmin('/whoami', `Bearer ${ADMIN_KEY}`);
    const text = await (await fetch(`${api.adminUrl}/metrics`)).text();
    expect(text).toMatch(/sms_api_requests_total\{route="admin",status="200",code="0",client="ops"\} \d+/);
  });
});

describe('without an admin router', () => {
  it('answers /v1/admin with 404 and 4040', async () => {
    const plain = await startApi(redis.url);
    try {
      const res = await fetch(`${plain.adminUrl}/v1/admin/whoami`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 4040 });
    } finally {
      await plain.stop();
    }
  });
});

it('refuses to build an app where a key is both an admin key and a client key', async () => {
  await expect(startApi(redis.url, { adminApiKeys: new Map([[TEST_KEY, 'ops']]) })).rejects.toThrow(
    'an admin key must not also be a client key',
  );
});
