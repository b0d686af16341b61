import { startRedis, type TestRedis } from '@sms/testing';
import { type RunningApi, startApi } from './start-api';

let redis: TestRedis;
let api: RunningApi;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApi(redis.url);
});
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

describe('POST /v1/sms', () => {
  it('answers 202 with an id and a Location only once the job is in Redis', async () => {
    const res = await api.post('/v1/sms', { to: '+573001234567', from: 'ACME', text: 'Your code is 1234' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { id: string; status: string };
    expect(body.status).toBe('queued');
    expect(res.headers.get('location')).toBe(`/v1/sms/${body.id}`);

    const job = await api.queue.getJob(body.id);
    expect(job?.data).toMatchObject({
      to: '573001234567',
      from: 'ACME',
      text: 'Your code is 1234',
      client: 'billing',
    });
    expect(job?.opts.attempts).toBe(3);
  });

  it('gives each message an expiry: validFor seconds, or the default validity', async () => {
    const withDefault = (await (await api.post('/v1/sms', { to: '573001234567', text: 'a' })).json()) as {
      id: string;
    };
    const withOwn = (await (
      await api.post('/v1/sms', { to: '573001234567', text: 'b', validFor: 60 })
    ).json()) as {
      id: string;
    };
    const a = (await api.queue.getJob(withDefault.id))!.data;
    const b = (await api.queue.getJob(withOwn.id))!.data;
    expect(a.expiresAt! - a.acceptedAt).toBe(3_600_000);
    expect(b.expiresAt! - b.acceptedAt).toBe(60_000);
    expect(b).not.toHaveProperty('validFor');
  });

  it('reports a queued message as queued with its receiver masked', async () => {
    const posted = (await (await api.post('/v1/sms', { to: '573001234567', text: 'hi' })).json()) as {
      id: string;
    };
    const res = await api.get(`/v1/sms/${posted.id}`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as Record<string, unknown>;
    expect(view).toMatchObject({ id: posted.id, status: 'queued', attempts: 0 });
    expect(view.to).not.toContain('3001234');
    expect(String(view.to)).toHaveLength(12);
  });

  it('hides a message from another client', async () => {
    const posted = (await (await api.post('/v1/sms', { to: '573001234567', text: 'hi' })).json()) as {
      id: string;
    };
    const res = await api.get(`/v1/sms/${posted.id}`, 'other-key-0123456789abcdef');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 4041 });
  });

  it.each([
    ['missing receiver', { text: 'hi' }, 400, 4001, 'to'],
    ['empty receiver', { to: '', text: 'hi' }, 400, 4001, 'to'],
    ['missing text', { to: '573001234567' }, 400, 4002, 'text'],
    ['blank text', { to: '573001234567', text: '   ' }, 400, 4002, 'text'],
    ['invalid receiver', { to: '30012', text: 'hi' }, 400, 4003, 'to'],
    ['receiver with letters', { to: '57300abc4567', text: 'hi' }, 400, 4003, 'to'],
    ['invalid sender', { to: '573001234567', from: 'TOO-LONG-SENDER', text: 'hi' }, 400, 4004, 'from'],
    ['text too long', { to: '573001234567', text: 'x'.repeat(501) }, 400, 4005, 'text'],
    ['unknown field', { to: '573001234567', text: 'hi', colour: 'blue' }, 400, 4006, 'colour'],
    [
      'validity beyond the maximum',
      { to: '573001234567', text: 'hi', validFor: 86_401 },
      400,
      4009,
      'validFor',
    ],
  ])('refuses a %s with its code and the field', async (_name, body, status, code, field) => {
    const res = await api.post('/v1/sms', body);
    expect(res.status).toBe(status);
    const answer = (await res.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ code, field });
    expect(String(answer.message)).toContain(field);
    expect(answer.requestId).toEqual(expect.any(String));
  });

  it('refuses a body that is not a JSON object with 4007', async () => {
    for (const body of ['[1,2]', '"text"', 'null']) {
      const res = await api.post('/v1/sms', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 4007 });
    }
  });

  it('refuses malformed JSON with 4007', async () => {
    const res = await api.post('/v1/sms', '{"to": "573001234567",');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 4007 });
  });

  it('refuses a content type other than application/json with 4000', async () => {
    const res = await api.post('/v1/sms', 'to=573001234567&text=hi', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { code: number; message: string };
    expect(answer.code).toBe(4000);
    expect(answer.message).toContain('application/x-www-form-urlencoded');
  });

  it('accepts application/json with a charset', async () => {
    const res = await api.post(
      '/v1/sms',
      { to: '573001234567', text: 'hi' },
      {
        'content-type': 'application/json; charset=utf-8',
      },
    );
    expect(res.status).toBe(202);
  });

  it('refuses a body larger than the limit with 413 and 4130', async () => {
    const res = await api.post('/v1/sms', { to: '573001234567', text: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 4130 });
  });

  it.each([
    ['no key', undefined],
    ['a wrong key', 'Bearer not-a-valid-key-at-all'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
  ])('answers 401 with 4030 for %s, and enqueues nothing', async (_name, authorization) => {
    const before = await api.queue.getJobCounts('wait');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    const res = await fetch(`${api.url}/v1/sms`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ to: '573001234567', text: 'hi' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 4030 });
    expect(await api.queue.getJobCounts('wait')).toEqual(before);
  });

  it('answers 404 with 4040 on an unknown route', async () => {
    const res = await api.post('/v2/sms', { to: '573001234567', text: 'hi' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 4040 });
  });

  it('answers 404 with 4041 for an unknown message id', async () => {
    const res = await api.get('/v1/sms/00000000-0000-0000-0000-000000000000');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 4041 });
  });

  it('counts requests by route, status, code and client in /metrics', async () => {
    await api.post('/v1/sms', { to: '573001234567', text: 'counted' });
    const text = await (await fetch(`${api.adminUrl}/metrics`)).text();
    expect(text).toMatch(
      /sms_api_requests_total\{route="send",status="202",code="2020",client="billing"\} \d+/,
    );
    expect(text).toMatch(/sms_api_messages_accepted_total\{client="billing",priority="normal"\} \d+/);
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('reports itself alive and ready', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });
});
