import { randomUUID } from 'node:crypto';
import type { SmsJobData } from '@sms/contracts';
import { createProducerConnection, enqueueSms, waitForRedis } from '@sms/queue';
import { startRedis, type TestRedis, waitFor } from '@sms/testing';
import type Redis from 'ioredis';
import { acceptOnce, IdempotencyStore, requestHash } from '../src/idempotency';
import { OTHER_KEY, type RunningApi, startApi } from './start-api';

let redis: TestRedis;
let api: RunningApi;
let connection: Redis;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApi(redis.url);
  connection = createProducerConnection(redis.target);
  await waitForRedis(connection, { warn: () => {} });
});
afterAll(async () => {
  connection?.disconnect();
  await api?.stop();
  await redis?.stop();
});

const SMS = { to: '573001234567', text: 'Your code is 1234' };

function postWithKey(
  target: RunningApi,
  key: string,
  body: unknown = SMS,
  headers: Record<string, string> = {},
) {
  return target.post('/v1/sms', body, { 'idempotency-key': key, ...headers });
}

async function idOf(res: Response): Promise<string> {
  expect(res.status).toBe(202);
  const body = (await res.json()) as { id: string; status: string };
  expect(body).toEqual({
    id: body.id,
    status: 'queued',
    priority: 'normal',
    delivery: 'at-least-once',
    encoding: 'GSM-7',
    segments: 1,
  });
  return body.id;
}

async function sendJobCount(target: RunningApi): Promise<number> {
  const counts = await target.queue.getJobCounts(
    'wait',
    'active',
    'delayed',
    'prioritized',
    'waiting-children',
  );
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

describe('POST /v1/sms with an Idempotency-Key', () => {
  it('answers a repeated request with the same id and the same body, and enqueues once', async () => {
    const own = await startApi(redis.url);
    try {
      const key = randomUUID();
      const first = await postWithKey(own, key);
      const id = await idOf(first);
      expect(first.headers.get('idempotency-replayed')).toBeNull();

      const again = await postWithKey(own, key);
      expect(await idOf(again)).toBe(id);
      expect(again.headers.get('idempotency-replayed')).toBe('true');
      expect(again.headers.get('location')).toBe(`/v1/sms/${id}`);
      expect(await sendJobCount(own)).toBe(1);
    } finally {
      await own.stop();
    }
  });

  it('treats requests that validate to the same message as the same request', async () => {
    const key = randomUUID();
    const id = await idOf(await postWithKey(api, key, { text: SMS.text, to: `+${SMS.to}` }));
    expect(await idOf(await postWithKey(api, key, SMS))).toBe(id);
  });

  it('makes one message of 20 concurrent requests with the same key', async () => {
    const own = await startApi(redis.url);
    try {
      const key = randomUUID();
      const answers = await Promise.all(Array.from({ length: 20 }, () => postWithKey(own, key)));
      const ids = await Promise.all(answers.map(idOf));
      expect(new Set(ids).size).toBe(1);
      expect(answers.filter((res) => res.headers.get('idempotency-replayed') === null)).toHaveLength(1);
      expect(await sendJobCount(own)).toBe(1);
      // Every 202 was sent only once the job was in Redis.
      expect(await own.queue.getJob(ids[0]!)).toBeDefined();
    } finally {
      await own.stop();
    }
  });

  it('refuses the same key with a different request with 422 and 4220', async () => {
    const key = randomUUID();
    const id = await idOf(await postWithKey(api, key));
    const res = await postWithKey(api, key, { ...SMS, text: 'Your code is 9999' });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ code: 4220, field: 'Idempotency-Key' });
    expect((await api.queue.getJob(id))?.data.text).toBe(SMS.text);
  });

  it('counts a default left out and the same default sent as different requests', async () => {
    const key = randomUUID();
    await idOf(await postWithKey(api, key));
    const res = await postWithKey(api, key, { ...SMS, validFor: 3_600 });
    expect(res.status).toBe(422);
  });

  it('keeps the keys of each client apart', async () => {
    const key = randomUUID();
    const billing = await idOf(await postWithKey(api, key));
    const marketing = await idOf(await postWithKey(api, key, SMS, { authorization: `Bearer ${OTHER_KEY}` }));
    expect(marketing).not.toBe(billing);
    expect((await api.queue.getJob(marketing))?.data.client).toBe('marketing');
    expect((await api.queue.getJob(billing))?.data.client).toBe('billing');
  });

  it('answers with the id and enqueues nothing when the message already finished', async () => {
    const key = randomUUID();
    const id = await idOf(await postWithKey(api, key));
    // What the worker leaves behind once Kaarai accepted the message: a final status record,
    // and no job (send jobs are removed on completion).
    await api.statusStore.write(id, {
      status: 'accepted',
      attempts: 1,
      lastCode: 2020,
      client: 'billing',
      to: '5730******67',
      createdAt: Date.now(),
    });
    await (await api.queue.getJob(id))!.remove();

    const again = await postWithKey(api, key);
    expect(await idOf(again)).toBe(id);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(await api.queue.getJob(id)).toBeUndefined();
    expect(await (await api.get(`/v1/sms/${id}`)).json()).toMatchObject({ id, status: 'accepted' });
  });

  it('enqueues the message of a first request that never reached the queue when it is repeated', async () => {
    const key = randomUUID();
    const id = await idOf(await postWithKey(api, key));
    // As if the first request's enqueue had failed after its key was claimed.
    await (await api.queue.getJob(id))!.remove();

    expect(await idOf(await postWithKey(api, key))).toBe(id);
    expect((await api.queue.getJob(id))?.data).toMatchObject({
      to: SMS.to,
      text: SMS.text,
      client: 'billing',
    });
  });

  it('forgets a key after IDEMPOTENCY_TTL_SECONDS', async () => {
    const shortLived = await startApi(redis.url, {}, undefined, { idempotencyTtlSeconds: 1 });
    try {
      const key = randomUUID();
      const id = await idOf(await postWithKey(shortLived, key));
      const later = await waitFor(
        async () => {
          const res = await postWithKey(shortLived, key);
          const next = await idOf(res);
          return next === id ? undefined : next;
        },
        { timeoutMs: 15_000, intervalMs: 200, description: 'the key to expire' },
      );
      expect(await shortLived.queue.getJob(later)).toBeDefined();
    } finally {
      await shortLived.stop();
    }
  });

  it.each([
    ['an empty key', ''],
    ['a key of 256 characters', 'k'.repeat(256)],
    ['a key with a non-ASCII character', 'caf\u00e9-order-17'],
    ['a key with a tab', 'order\t17'],
  ])('refuses %s with 400 and 4008, enqueueing nothing', async (_name, key) => {
    const before = await sendJobCount(api);
    const res = await postWithKey(api, key);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: number; field: string; message: string };
    expect(body).toMatchObject({ code: 4008, field: 'Idempotency-Key' });
    expect(body.message).toContain('Idempotency-Key');
    expect(await sendJobCount(api)).toBe(before);
  });

  it('accepts a key of 255 printable characters, spaces included', async () => {
    const key = `${randomUUID()} ${'~'.repeat(218)}`;
    expect(key).toHaveLength(255);
    const id = await idOf(await postWithKey(api, key));
    expect(await idOf(await postWithKey(api, key))).toBe(id);
  });

  it('does not count a repeated request as a new message in /metrics', async () => {
    const own = await startApi(redis.url);
    try {
      const key = randomUUID();
      await idOf(await postWithKey(own, key));
      await idOf(await postWithKey(own, key));
      const text = await (await fetch(`${own.adminUrl}/metrics`)).text();
      expect(text).toContain('sms_api_messages_accepted_total{client="billing",priority="normal"} 1');
      expect(text).toContain(
        'sms_api_requests_total{route="send",status="202",code="2020",client="billing"} 2',
      );
    } finally {
      await own.stop();
    }
  });
});

describe('acceptOnce', () => {
  const data: SmsJobData = { to: SMS.to, text: SMS.text, client: 'billing', acceptedAt: Date.now() };
  const enqueue = (id: string) => enqueueSms(api.queue, id, data, { attempts: 3 });

  function sources() {
    const idempotencyStore = new IdempotencyStore(connection, { prefix: api.prefix, ttlSeconds: 60 });
    return { idempotencyStore, statusLookup: api.statusStore };
  }

  function request() {
    return { client: 'billing', idempotencyKey: randomUUID(), requestHash: requestHash(SMS) };
  }

  it('answers a repeat only once the job is in Redis, even while the first add is still under way', async () => {
    const same = request();
    let releaseFirst!: () => void;
    const firstMayAdd = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const first = acceptOnce(sources(), same, async (id) => {
      await firstMayAdd;
      await enqueue(id);
    });

    // The first request holds the key but has not added its job yet.
    const key = sources().idempotencyStore.key(same.client, same.idempotencyKey);
    await waitFor(async () => (await connection.exists(key)) === 1, { description: 'the first claim' });
    const repeat = await acceptOnce(sources(), same, enqueue);
    expect(repeat.replayed).toBe(true);
    expect(await api.queue.getJob(repeat.id)).toBeDefined();

    releaseFirst();
    expect(await first).toEqual({ id: repeat.id, replayed: false });
    expect((await api.queue.getJobs(['wait'])).filter((job) => job.id === repeat.id)).toHaveLength(1);
  });

  it('enqueues on the repeat of a first request whose enqueue failed, under the same id', async () => {
    const same = request();
    await expect(
      acceptOnce(sources(), same, async () => {
        throw new Error('Connection is closed.');
      }),
    ).rejects.toThrow('Connection is closed.');

    const repeat = await acceptOnce(sources(), same, enqueue);
    expect(repeat.replayed).toBe(true);
    expect((await api.queue.getJob(repeat.id))?.data).toMatchObject({ to: SMS.to, text: SMS.text });
  });
});

describe('requestHash', () => {
  it('depends on the fields, not on their order', () => {
    expect(requestHash({ to: SMS.to, text: SMS.text, validFor: 60 })).toBe(
      requestHash({ validFor: 60, text: SMS.text, to: SMS.to }),
    );
    expect(requestHash({ to: SMS.to, text: SMS.text })).not.toBe(
      requestHash({ to: SMS.to, text: `${SMS.text}.` }),
    );
  });
});
