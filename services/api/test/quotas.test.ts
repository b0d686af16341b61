import { createProducerConnection, waitForRedis } from '@sms/queue';
import {
  metricValue,
  type RedisServer,
  startRedis,
  startRedisServer,
  type TestRedis,
  waitFor,
} from '@sms/testing';
import type { Redis } from 'ioredis';
import { type RunningApi, type StartApiOptions, startApi } from './start-api';

// Client quotas on a real Redis, with the API's clock set by the test (the day's counter is
// named by the UTC date). start-api.ts: TEST_KEY is client "billing", OTHER_KEY "marketing".
let redis: TestRedis;
let connection: Redis;
const apis: RunningApi[] = [];

beforeAll(async () => {
  redis = await startRedis();
  connection = createProducerConnection(redis.target);
  await waitForRedis(connection, { warn: () => {} });
});
afterAll(async () => {
  await Promise.all(apis.map((api) => api.stop()));
  connection?.disconnect();
  await redis?.stop();
});

/** An API whose clock reads `clock.now`; 23:00 UTC unless a test moves it. */
async function apiWith(quotas: StartApiOptions['quotas'], url = redis.url) {
  const clock = { now: Date.parse('2026-03-01T23:00:00.000Z') };
  const api = await startApi(
    url,
    {},
    undefined,
    quotas ? { quotas: { ...quotas, now: () => clock.now } } : {},
  );
  apis.push(api);
  return { api, clock };
}

const SMS = { to: '573001234567', text: 'Your code is 1234' };
const batchOf = (n: number, invalid = 0) => ({
  messages: [
    ...Array.from({ length: n }, (_, i) => ({ ...SMS, text: `message ${i}` })),
    ...Array.from({ length: invalid }, () => ({ to: 'nope', text: 'x' })),
  ],
});

const perDay = (messagesPerDay: number) => ({
  quotas: new Map([['billing', { messagesPerDay }]]),
  defaultQuota: {},
});

async function codeOf(res: Response): Promise<number> {
  return ((await res.json()) as { code?: number; id?: string }).code ?? res.status * 10;
}

/** The day's counter of a client, as Redis holds it. */
function dayCounter(api: RunningApi, client: string, day = '2026-03-01'): Promise<string | null> {
  return connection.get(`${api.prefix}:quota:day:${client}:${day}`);
}

describe('messages per day', () => {
  it('refuses the message past the quota with 429, 4291, Retry-After until midnight UTC and the RateLimit headers', async () => {
    const { api } = await apiWith(perDay(3));
    for (const remaining of [2, 1, 0]) {
      const res = await api.post('/v1/sms', SMS);
      expect(res.status).toBe(202);
      expect(res.headers.get('ratelimit-policy')).toBe('"messages-per-day";q=3;w=86400');
      expect(res.headers.get('ratelimit')).toBe(`"messages-per-day";r=${remaining};t=3600`);
    }
    const refused = await api.post('/v1/sms', SMS);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3600');
    expect(refused.headers.get('ratelimit')).toBe('"messages-per-day";r=0;t=3600');
    expect(await refused.json()).toEqual({
      code: 4291,
      message:
        'the daily quota of 3 messages is used up: 0 left today and this message does not fit; it renews at 00:00 UTC, in 3600 s',
      requestId: expect.any(String),
    });
    expect(await api.queue.count()).toBe(3);
    const metrics = await api.metrics.registry.metrics();
    expect(
      metricValue(metrics, 'sms_api_quota_refusals_total', { client: 'billing', limit: 'messages_per_day' }),
    ).toBe(1);
    expect(
      metricValue(metrics, 'sms_api_requests_total', { route: 'send', status: '429', code: '4291' }),
    ).toBe(1);
  });

  it('counts the valid messages of a batch, and refuses a batch whole when it does not fit', async () => {
    const { api } = await apiWith(perDay(10));
    const first = await api.post('/v1/sms/batch', batchOf(6, 2));
    expect(first.status).toBe(202);
    expect(first.headers.get('ratelimit')).toBe('"messages-per-day";r=4;t=3600');

    const tooMany = await api.post('/v1/sms/batch', batchOf(5));
    expect(tooMany.status).toBe(429);
    expect(await tooMany.json()).toMatchObject({
      code: 4291,
      message: expect.stringContaining('4 left today and these 5 messages do not fit'),
    });
    // The refused batch took nothing: the four left still fit.
    expect(await dayCounter(api, 'billing')).toBe('6');
    const rest = await api.post('/v1/sms/batch', batchOf(4));
    expect(rest.status).toBe(202);
    expect(rest.headers.get('ratelimit')).toBe('"messages-per-day";r=0;t=3600');
    expect(await api.queue.count()).toBe(10);
  });

  it('gives back the message of a refused request, and takes nothing for a repeat, even at the limit', async () => {
    const { api } = await apiWith(perDay(2));
    expect((await api.post('/v1/sms', { to: 'nope', text: 'x' })).status).toBe(400);
    await waitFor(async () => (await dayCounter(api, 'billing')) === '0', {
      description: 'the refused message given back',
    });

    const key = { 'idempotency-key': 'order-17' };
    const batchKey = { 'idempotency-key': 'batch-17' };
    const first = await api.post('/v1/sms', SMS, key);
    const firstBatch = await api.post('/v1/sms/batch', batchOf(1), batchKey);
    expect([first.status, firstBatch.status]).toEqual([202, 202]);
    expect(await dayCounter(api, 'billing')).toBe('2');
    expect((await api.post('/v1/sms', SMS)).status).toBe(429);

    // The day is used up, yet a client whose answer was lost still learns its ids.
    const repeat = await api.post('/v1/sms', SMS, key);
    expect([repeat.status, repeat.headers.get('idempotency-replayed')]).toEqual([202, 'true']);
    expect(await repeat.json()).toEqual(await first.json());
    const batchRepeat = await api.post('/v1/sms/batch', batchOf(1), batchKey);
    expect([batchRepeat.status, batchRepeat.headers.get('idempotency-replayed')]).toEqual([202, 'true']);
    expect(await batchRepeat.json()).toEqual(await firstBatch.json());
    expect(await dayCounter(api, 'billing')).toBe('2');
    expect(await api.queue.count()).toBe(2);
  });

  it('renews the quota at 00:00 UTC', async () => {
    const { api, clock } = await apiWith(perDay(1));
    clock.now = Date.parse('2026-03-01T23:59:59.000Z');
    expect((await api.post('/v1/sms', SMS)).status).toBe(202);
    const refused = await api.post('/v1/sms', SMS);
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '1']);

    clock.now = Date.parse('2026-03-02T00:00:01.000Z');
    const nextDay = await api.post('/v1/sms', SMS);
    expect(nextDay.status).toBe(202);
    expect(nextDay.headers.get('ratelimit')).toBe('"messages-per-day";r=0;t=86399');
    // Each day's counter expires at its midnight, so Redis keeps no old days.
    const ttl = await connection.ttl(`${api.prefix}:quota:day:billing:2026-03-02`);
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_399);
  });

  it('gives each client its own quota, and the default to clients not listed', async () => {
    const { api } = await apiWith({
      quotas: new Map([['billing', { messagesPerDay: 1 }]]),
      defaultQuota: { messagesPerDay: 2 },
    });
    const asMarketing = { authorization: 'Bearer other-key-0123456789abcdef' };
    expect((await api.post('/v1/sms', SMS)).status).toBe(202);
    expect((await api.post('/v1/sms', SMS)).status).toBe(429);
    expect((await api.post('/v1/sms', SMS, asMarketing)).status).toBe(202);
    const second = await api.post('/v1/sms', SMS, asMarketing);
    expect([second.status, second.headers.get('ratelimit')]).toEqual([202, '"messages-per-day";r=0;t=3600']);
    expect((await api.post('/v1/sms', SMS, asMarketing)).status).toBe(429);
  });

  it('sends no RateLimit header, and makes no quota call, for a client without limits', async () => {
    const { api } = await apiWith({
      quotas: new Map([['marketing', { messagesPerDay: 1 }]]),
      defaultQuota: {},
    });
    const res = await api.post('/v1/sms', SMS);
    expect([res.status, res.headers.get('ratelimit'), res.headers.get('ratelimit-policy')]).toEqual([
      202,
      null,
      null,
    ]);
    expect(await connection.keys(`${api.prefix}:quota:*`)).toEqual([]);
  });
});

describe('requests per second', () => {
  it('refuses requests past the limit within a second with 429, 4290 and Retry-After, a batch counting as one', async () => {
    const { api } = await apiWith({
      quotas: new Map([['billing', { requestsPerSecond: 5 }]]),
      defaultQuota: {},
    });
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 2 ? api.post('/v1/sms', SMS) : api.post('/v1/sms/batch', batchOf(3)),
      ),
    );
    const elapsedMs = performance.now() - started;
    const accepted = answers.filter((res) => res.status === 202);
    const refused = answers.filter((res) => res.status === 429);
    expect(accepted.length + refused.length).toBe(30);
    // The window is one second from the first request in it: a burst spans at most this many.
    const windows = Math.ceil(elapsedMs / 1_000) + 1;
    expect(accepted.length).toBeGreaterThanOrEqual(5);
    expect(accepted.length).toBeLessThanOrEqual(5 * windows);
    for (const res of refused) {
      expect(await res.json()).toMatchObject({
        code: 4290,
        message: 'the limit of 5 requests per second is reached; retry in 1 s',
      });
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.headers.get('ratelimit')).toBe('"requests-per-second";r=0;t=1');
    }
    expect(accepted[0]!.headers.get('ratelimit-policy')).toBe('"requests-per-second";q=5;w=1');
    const metrics = await api.metrics.registry.metrics();
    expect(
      metricValue(metrics, 'sms_api_quota_refusals_total', {
        client: 'billing',
        limit: 'requests_per_second',
      }),
    ).toBe(refused.length);
  });

  it('lists both limits in the headers when a client has both', async () => {
    const { api } = await apiWith({
      quotas: new Map([['billing', { requestsPerSecond: 100, messagesPerDay: 50 }]]),
      defaultQuota: {},
    });
    const res = await api.post('/v1/sms/batch', batchOf(5));
    expect(res.status).toBe(202);
    expect(res.headers.get('ratelimit-policy')).toBe(
      '"requests-per-second";q=100;w=1, "messages-per-day";q=50;w=86400',
    );
    expect(res.headers.get('ratelimit')).toBe(
      '"requests-per-second";r=99;t=1, "messages-per-day";r=45;t=3600',
    );
  });
});

describe('when the quota store fails', () => {
  let own: RedisServer;
  beforeAll(async () => {
    own = await startRedisServer();
  });
  afterAll(async () => {
    await own?.stop();
  });

  it('lets the request through unchecked: Redis down answers 503 (5030), not 429 or 500, and is counted', async () => {
    const { api } = await apiWith(
      { quotas: new Map(), defaultQuota: { requestsPerSecond: 1_000, messagesPerDay: 1_000 } },
      own.url,
    );
    expect((await api.post('/v1/sms', SMS)).status).toBe(202);
    await own.stop();
    const res = await api.post('/v1/sms', SMS);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 5030 });
    expect(res.headers.get('ratelimit')).toBeNull();
    const batch = await api.post('/v1/sms/batch', batchOf(2));
    expect(await codeOf(batch)).toBe(5030);
    const metrics = await api.metrics.registry.metrics();
    // One check per request (requests per second) and one per message check (the day).
    expect(metricValue(metrics, 'sms_api_quota_check_failures_total')).toBe(4);
  });
});
