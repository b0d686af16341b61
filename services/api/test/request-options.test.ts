import { maskNumber } from '@sms/contracts';
import { startRedis, type TestRedis } from '@sms/testing';
import Redis from 'ioredis';
import { OTHER_KEY, type RunningApi, startApi, TEST_KEY } from './start-api';

// The options of POST /v1/sms (priority, sendAt, reference) and what the API makes of them, on a
// real Redis and with no worker: the answer, the job in the queue, the status view, the look-up
// by reference, and cancelling.
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

const TO = '573001234567';
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

async function post(body: Record<string, unknown>, key?: string) {
  const res = key
    ? await fetch(`${api.url}/v1/sms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    : await api.post('/v1/sms', body);
  expect(res.status).toBe(202);
  return (await res.json()) as Record<string, unknown> & { id: string };
}

const cancel = (id: string, key?: string) =>
  fetch(`${api.url}/v1/sms/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${key ?? TEST_KEY}` },
  });

const status = async (id: string) =>
  (await (await api.get(`/v1/sms/${id}`)).json()) as Record<string, unknown>;

describe('the answer and the job', () => {
  it('answers a plain message queued, normal, with its encoding and SMS parts', async () => {
    const body = await post({ to: TO, text: 'Your code is 1234' });
    expect(body).toEqual({
      id: body.id,
      status: 'queued',
      priority: 'normal',
      delivery: 'at-least-once',
      encoding: 'GSM-7',
      segments: 1,
    });
  });

  it('counts the parts of a long text, and UCS-2 when a character is not in the GSM alphabet', async () => {
    expect(await post({ to: TO, text: 'a'.repeat(161) })).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(await post({ to: TO, text: 'Código ✓' })).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(await post({ to: TO, text: '😀'.repeat(36) })).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });

  it('puts a high message where the worker takes next, and a bulk one in the prioritized set', async () => {
    const high = await post({ to: TO, text: 'otp', priority: 'high' });
    const bulk = await post({ to: TO, text: 'news', priority: 'bulk' });
    expect(high).toMatchObject({ priority: 'high', status: 'queued' });
    const highJob = await api.queue.getJob(high.id);
    const bulkJob = await api.queue.getJob(bulk.id);
    expect(highJob?.opts).toMatchObject({ lifo: true });
    expect(highJob?.data.priority).toBe('high');
    expect(await bulkJob?.getState()).toBe('prioritized');
    expect(bulkJob?.opts.priority).toBe(1);
  });

  it('delays a scheduled message until sendAt, and counts its validity from then', async () => {
    const sendAt = inSeconds(3_600);
    const body = await post({ to: TO, text: 'later', sendAt, validFor: 600, reference: 'sched-1' });
    expect(body).toEqual({
      id: body.id,
      status: 'scheduled',
      priority: 'normal',
      delivery: 'at-least-once',
      reference: 'sched-1',
      sendAt: new Date(Date.parse(sendAt)).toISOString(),
      encoding: 'GSM-7',
      segments: 1,
    });
    const job = (await api.queue.getJob(body.id))!;
    expect(await job.getState()).toBe('delayed');
    expect(job.timestamp + job.delay).toBeGreaterThanOrEqual(Date.parse(sendAt) - 5);
    expect(job.timestamp + job.delay).toBeLessThanOrEqual(Date.parse(sendAt) + 5);
    expect(job.data.expiresAt).toBe(Date.parse(sendAt) + 600_000);
  });

  it('shows a scheduled message as scheduled at once, with its options', async () => {
    const sendAt = inSeconds(600);
    const { id } = await post({ to: TO, text: 'later', sendAt, priority: 'bulk', reference: 'r-9' });
    expect(await status(id)).toEqual({
      id,
      status: 'scheduled',
      to: maskNumber(TO),
      attempts: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      priority: 'bulk',
      delivery: 'at-least-once',
      reference: 'r-9',
      sendAt: new Date(Date.parse(sendAt)).toISOString(),
      encoding: 'GSM-7',
      segments: 1,
    });
  });

  it.each([
    ['an unknown priority', { priority: 'urgent' }, 4015, 'priority'],
    ['a sendAt in the past', { sendAt: inSeconds(-60) }, 4016, 'sendAt'],
    ['a sendAt beyond MAX_SCHEDULE_SECONDS', { sendAt: inSeconds(31 * 86_400) }, 4016, 'sendAt'],
    ['a sendAt without an offset', { sendAt: '2030-01-31T09:00:00' }, 4016, 'sendAt'],
    ['a reference of 65 characters', { reference: 'r'.repeat(65) }, 4017, 'reference'],
    ['a text of 11 SMS parts', { text: '😀'.repeat(340) }, 4018, 'text'],
  ])('refuses %s with its code, the field and why', async (_name, options, code, field) => {
    const res = await api.post('/v1/sms', { to: TO, text: 'hi', ...options }, {});
    expect(res.status).toBe(400);
    const answer = (await res.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ code, field });
    expect(String(answer.message)).toContain(`"${field}"`);
  });

  it('counts accepted messages by priority in /metrics, and never by reference', async () => {
    await post({ to: TO, text: 'counted', priority: 'bulk', reference: 'secret-order-77' });
    const text = await (await fetch(`${api.adminUrl}/metrics`)).text();
    expect(text).toMatch(/sms_api_messages_accepted_total\{client="billing",priority="bulk"\} \d+/);
    expect(text).not.toContain('secret-order-77');
  });
});

describe('GET /v1/sms?reference=', () => {
  it('lists every message of the client with that reference, the most recent first', async () => {
    const first = await post({ to: TO, text: 'one', reference: 'order-42' });
    const second = await post({ to: TO, text: 'two', reference: 'order-42', priority: 'high' });
    await post({ to: TO, text: 'other', reference: 'order-43' });
    const res = await api.get('/v1/sms?reference=order-42');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { reference: string; messages: Record<string, unknown>[] };
    expect(body.reference).toBe('order-42');
    expect(body.messages.map((m) => [m.id, m.status, m.reference])).toEqual([
      [second.id, 'queued', 'order-42'],
      [first.id, 'queued', 'order-42'],
    ]);
    expect(body.messages[0]).toMatchObject({ priority: 'high', to: maskNumber(TO) });
  });

  it('finds a reference with spaces and punctuation, percent-encoded', async () => {
    const { id } = await post({ to: TO, text: 'x', reference: 'Invoice #7/2030 & co' });
    const res = await api.get(`/v1/sms?reference=${encodeURIComponent('Invoice #7/2030 & co')}`);
    expect(((await res.json()) as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual([id]);
  });

  it("answers an empty list for an unknown reference and for another client's", async () => {
    await post({ to: TO, text: 'mine', reference: 'private-ref' });
    const unknown = await api.get('/v1/sms?reference=never-used');
    expect(await unknown.json()).toEqual({ reference: 'never-used', messages: [] });
    const other = await api.get('/v1/sms?reference=private-ref', OTHER_KEY);
    expect(await other.json()).toEqual({ reference: 'private-ref', messages: [] });
  });

  it('expires the look-up with the status records: retention after the latest message expires', async () => {
    await post({ to: TO, text: 'ttl', reference: 'ttl-ref', validFor: 60 });
    const plain = new Redis(redis.url);
    const ttl = await plain.ttl(api.referenceIndex.key('billing', 'ttl-ref'));
    plain.disconnect();
    // startApi keeps records 3600 s: 60 s of validity plus the retention.
    expect(ttl).toBeGreaterThan(3_600 + 55);
    expect(ttl).toBeLessThanOrEqual(3_600 + 60);
  });
});

describe('DELETE /v1/sms/:id', () => {
  it('cancels a scheduled message: answered and read back canceled, its job gone', async () => {
    const { id } = await post({ to: TO, text: 'not wanted', sendAt: inSeconds(600), reference: 'cx-1' });
    const res = await cancel(id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, status: 'canceled', reference: 'cx-1', attempts: 0 });
    expect(await status(id)).toMatchObject({ id, status: 'canceled', to: maskNumber(TO) });
    expect(await api.queue.getJob(id)).toBeUndefined();
  });

  it('cancels a message still waiting in the queue', async () => {
    const { id } = await post({ to: TO, text: 'queued, not wanted' });
    expect((await cancel(id)).status).toBe(200);
    expect(await status(id)).toMatchObject({ status: 'canceled' });
    expect(await api.queue.getJob(id)).toBeUndefined();
  });

  it('answers 409 with 4092 for a message already final, canceled included', async () => {
    const { id } = await post({ to: TO, text: 'twice' });
    expect((await cancel(id)).status).toBe(200);
    const again = await cancel(id);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 4092 });
  });

  it('answers 409 with 4091 once a worker has started sending, and leaves the status alone', async () => {
    const { id } = await post({ to: TO, text: 'in flight' });
    // What the worker's admission writes before it calls Kaarai.
    await api.statusStore.write(id, {
      status: 'sending',
      attempts: 1,
      client: 'billing',
      to: '5730******67',
      createdAt: Date.now(),
    });
    const res = await cancel(id);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 4091 });
    expect(await status(id)).toMatchObject({ status: 'sending' });
    expect(await api.queue.getJob(id)).toBeDefined();
  });

  it('cancels a message put back on the queue by a hold before any attempt, not one tried before', async () => {
    const held = await post({ to: TO, text: 'held' });
    const tried = await post({ to: TO, text: 'tried' });
    const identity = { client: 'billing', to: '5730******67', createdAt: Date.now() };
    await api.statusStore.write(held.id, { status: 'queued', attempts: 0, lastCode: 4030, ...identity });
    await api.statusStore.write(tried.id, { status: 'queued', attempts: 1, lastCode: 4030, ...identity });
    expect((await cancel(held.id)).status).toBe(200);
    const res = await cancel(tried.id);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 4091 });
  });

  it("answers 404 with 4041 for an unknown id and for another client's message, which stays", async () => {
    const { id } = await post({ to: TO, text: 'mine' });
    const unknown = await cancel('00000000-0000-0000-0000-000000000000');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 4041 });
    const other = await cancel(id, OTHER_KEY);
    expect(other.status).toBe(404);
    expect(await status(id)).toMatchObject({ status: 'queued' });
  });

  it('keeps a canceled message canceled when its request is repeated with its Idempotency-Key', async () => {
    const headers = { 'idempotency-key': `cancel-${Date.now()}` };
    const first = (await (await api.post('/v1/sms', { to: TO, text: 'once' }, headers)).json()) as {
      id: string;
    };
    expect((await cancel(first.id)).status).toBe(200);
    const repeat = await api.post('/v1/sms', { to: TO, text: 'once' }, headers);
    expect(repeat.status).toBe(202);
    expect(((await repeat.json()) as { id: string }).id).toBe(first.id);
    expect(await api.queue.getJob(first.id)).toBeUndefined();
    expect(await status(first.id)).toMatchObject({ status: 'canceled' });
  });
});
