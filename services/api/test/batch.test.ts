import { randomUUID } from 'node:crypto';
import { createProducerConnection, waitForRedis } from '@sms/queue';
import { metricValue, startRedis, type TestRedis } from '@sms/testing';
import type { Redis } from 'ioredis';
import { batchHash, batchMessageId } from '../src/batch/batch-ids';
import { readBatch } from '../src/batch/read-batch';
import { IdempotencyStore } from '../src/idempotency';
import { type RunningApi, startApi } from './start-api';

// POST /v1/sms/batch against a real Redis: each message judged as POST /v1/sms judges it, the
// valid ones accepted together, the answer listing per message its id or its refusal, and an
// Idempotency-Key that makes the whole batch safe to repeat.
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

const message = (text: string) => ({ to: '573001234567', text });
const texts = (label: string, n: number) => Array.from({ length: n }, (_, i) => message(`${label} ${i}`));

interface BatchAnswer {
  readonly accepted: number;
  readonly rejected: number;
  readonly messages: ReadonlyArray<{ id?: string; status?: string; error?: Record<string, unknown> }>;
}

function postBatch(target: RunningApi, messages: unknown, headers: Record<string, string> = {}) {
  return target.post('/v1/sms/batch', { messages }, headers);
}

async function accepted(res: Response): Promise<BatchAnswer> {
  const body = (await res.json()) as BatchAnswer;
  expect([res.status, body]).toEqual([202, expect.anything()]);
  return body;
}

const idsOf = (answer: BatchAnswer) => answer.messages.flatMap((m) => (m.id === undefined ? [] : [m.id]));

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

describe('POST /v1/sms/batch', () => {
  it('accepts the valid messages of a mixed batch and answers per message its id or its refusal', async () => {
    const res = await postBatch(api, [
      message('first'),
      { to: '12', text: 'bad receiver' },
      { ...message('second'), from: 'ACME', validFor: 600 },
      message('a bell \u0007'),
      { to: '573001234567' },
    ]);
    const answer = await accepted(res);
    // Each accepted message is answered as POST /v1/sms answers it.
    const asSingle = async (body: unknown) => {
      const { id: _, ...view } = (await (await api.post('/v1/sms', body)).json()) as Record<string, unknown>;
      return { ...view, id: expect.any(String) };
    };
    expect(answer).toEqual({
      accepted: 2,
      rejected: 3,
      messages: [
        await asSingle(message('first')),
        { error: { code: 4003, field: 'to', message: expect.stringContaining('7 to 15 digits') } },
        await asSingle({ ...message('second'), from: 'ACME', validFor: 600 }),
        { error: { code: 4005, field: 'text', message: expect.stringContaining('U+0007') } },
        { error: { code: 4002, field: 'text', message: '"text" is required' } },
      ],
    });
    expect(answer.messages[0]).toMatchObject({ status: 'queued' });
    const [first, second] = idsOf(answer);
    expect((await api.queue.getJob(first!))?.data).toMatchObject({ text: 'first', client: 'billing' });
    const secondJob = (await api.queue.getJob(second!))?.data;
    expect(secondJob).toMatchObject({ text: 'second', from: 'ACME', client: 'billing' });
    expect(secondJob!.expiresAt! - secondJob!.acceptedAt).toBe(600_000);
    expect(await (await api.get(`/v1/sms/${first}`)).json()).toMatchObject({ id: first, status: 'queued' });
    expect(res.headers.get('x-request-id')).toEqual(expect.any(String));
  });

  it('accepts 1,000 messages in one request, each once, and counts them in /metrics', async () => {
    const own = await startApi(redis.url);
    try {
      const started = performance.now();
      const answer = await accepted(await postBatch(own, texts('bulk', 1_000)));
      const elapsedMs = performance.now() - started;
      expect(answer).toMatchObject({ accepted: 1_000, rejected: 0 });
      expect(new Set(idsOf(answer)).size).toBe(1_000);
      expect(await sendJobCount(own)).toBe(1_000);
      const metrics = await own.metrics.registry.metrics();
      expect(metricValue(metrics, 'sms_api_messages_accepted_total', { client: 'billing' })).toBe(1_000);
      expect(metricValue(metrics, 'sms_api_requests_total', { route: 'batch', status: '202' })).toBe(1);
      console.log(`1,000 messages in one batch answered in ${Math.round(elapsedMs)} ms`);
    } finally {
      await own.stop();
    }
  });

  it('refuses a batch over MAX_BATCH_MESSAGES with 413 and 4131, and adds nothing', async () => {
    const own = await startApi(redis.url, { maxBatchMessages: 10 });
    try {
      const res = await postBatch(own, texts('too many', 11));
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({
        code: 4131,
        field: 'messages',
        message: 'the batch has 11 messages; the most is 10',
      });
      expect(await sendJobCount(own)).toBe(0);
      expect((await postBatch(own, texts('just enough', 10))).status).toBe(202);
    } finally {
      await own.stop();
    }
  });

  it('refuses a body over MAX_BATCH_BODY_BYTES with 413 and 4130, while the single route keeps its own limit', async () => {
    const own = await startApi(redis.url, { maxBodyBytes: 1_024, maxBatchBodyBytes: 4_096 });
    try {
      const res = await postBatch(own, texts('x'.repeat(100), 40));
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ code: 4130 });
      // Larger than a single message may be, smaller than the batch limit.
      expect((await postBatch(own, texts('y'.repeat(100), 15))).status).toBe(202);
      expect(await sendJobCount(own)).toBe(15);
    } finally {
      await own.stop();
    }
  });

  it('answers 400 with 4012 and the refusal of every message when none is valid, adding nothing', async () => {
    const before = await sendJobCount(api);
    const res = await postBatch(api, [{ to: 'nope', text: 'x' }, { text: 'no receiver' }]);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      code: 4012,
      message: expect.stringContaining('none of the 2 messages is valid'),
      requestId: expect.any(String),
      accepted: 0,
      rejected: 2,
      messages: [
        { error: expect.objectContaining({ code: 4003, field: 'to' }) },
        { error: expect.objectContaining({ code: 4001, field: 'to' }) },
      ],
    });
    expect(await sendJobCount(api)).toBe(before);
  });

  it.each([
    ['a list instead of an object', [message('x')], 400, 4011],
    ['messages that are not a list', { messages: 'x' }, 400, 4011],
    ['no message', { messages: [] }, 400, 4011],
    ['another field', { messages: [message('x')], dryRun: true }, 400, 4006],
    ['malformed JSON', '{"messages": [', 400, 4007],
  ])('refuses %s as a whole', async (_name, body, status, code) => {
    const res = await api.post('/v1/sms/batch', body);
    expect([res.status, ((await res.json()) as { code: number }).code]).toEqual([status, code]);
  });

  it('asks for a key and for JSON, as POST /v1/sms does', async () => {
    const anonymous = await fetch(`${api.url}/v1/sms/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [message('x')] }),
    });
    expect(anonymous.status).toBe(401);
    const text = await api.post('/v1/sms/batch', JSON.stringify({ messages: [] }), {
      'content-type': 'text/plain',
    });
    expect([text.status, ((await text.json()) as { code: number }).code]).toEqual([400, 4000]);
  });
});

describe('POST /v1/sms/batch with an Idempotency-Key', () => {
  it('answers a repeat with the same ids and adds no job again', async () => {
    const own = await startApi(redis.url);
    try {
      const key = randomUUID();
      const batch = [...texts('repeat', 3), { to: 'bad', text: 'x' }];
      const first = await postBatch(own, batch, { 'idempotency-key': key });
      const firstAnswer = await accepted(first);
      expect(first.headers.get('idempotency-replayed')).toBeNull();

      const again = await postBatch(own, batch, { 'idempotency-key': key });
      expect(await accepted(again)).toEqual(firstAnswer);
      expect(again.headers.get('idempotency-replayed')).toBe('true');
      expect(await sendJobCount(own)).toBe(3);
      const metrics = await own.metrics.registry.metrics();
      expect(metricValue(metrics, 'sms_api_messages_accepted_total', { client: 'billing' })).toBe(3);
    } finally {
      await own.stop();
    }
  });

  it('makes one set of messages of 10 concurrent repeats', async () => {
    const own = await startApi(redis.url);
    try {
      const key = randomUUID();
      const batch = texts('race', 20);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => postBatch(own, batch, { 'idempotency-key': key }).then(accepted)),
      );
      expect(new Set(answers.map((a) => idsOf(a).join()))).toHaveProperty('size', 1);
      expect(await sendJobCount(own)).toBe(20);
    } finally {
      await own.stop();
    }
  });

  it('refuses another batch, or a single message, under the same key with 422 and 4220', async () => {
    const key = randomUUID();
    await accepted(await postBatch(api, texts('original', 2), { 'idempotency-key': key }));
    const other = await postBatch(api, texts('other', 2), { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ code: 4220, field: 'Idempotency-Key' });
    const single = await api.post('/v1/sms', message('original 0'), { 'idempotency-key': key });
    expect(single.status).toBe(422);
  });

  it('completes a batch whose key was claimed but whose messages never reached the queue', async () => {
    const own = await startApi(redis.url);
    try {
      const key = randomUUID();
      const batch = texts('cut off', 5);
      // As if the first request had stopped between claiming the key and adding its messages.
      const batchId = randomUUID();
      const limits = { maxTextLength: 500, maxValiditySeconds: 86_400, maxBatchMessages: 1_000 };
      const store = new IdempotencyStore(connection, { prefix: own.prefix, ttlSeconds: 60 });
      await store.claim('billing', key, {
        id: batchId,
        requestHash: batchHash(readBatch({ messages: batch }, limits)),
      });

      const answer = await accepted(await postBatch(own, batch, { 'idempotency-key': key }));
      const expected = batch.map((_, i) => batchMessageId(batchId, i));
      expect(idsOf(answer)).toEqual(expected);
      for (const [i, id] of expected.entries()) {
        expect((await own.queue.getJob(id))?.data).toMatchObject({ text: batch[i]!.text, client: 'billing' });
      }
    } finally {
      await own.stop();
    }
  });

  it('does not add again a message a worker already finished, and adds one that went missing', async () => {
    const own = await startApi(redis.url);
    try {
      const key = randomUUID();
      const batch = texts('partly done', 3);
      const [done, missing, waiting] = idsOf(
        await accepted(await postBatch(own, batch, { 'idempotency-key': key })),
      );
      // What a worker leaves once Kaarai took a message: a final record, no job.
      await own.statusStore.write(done!, {
        status: 'accepted',
        attempts: 1,
        client: 'billing',
        to: '5730******67',
        createdAt: Date.now(),
      });
      await (await own.queue.getJob(done!))!.remove();
      // As if Redis had lost it (a failover before its replica had it).
      await (await own.queue.getJob(missing!))!.remove();

      const again = await accepted(await postBatch(own, batch, { 'idempotency-key': key }));
      expect(idsOf(again)).toEqual([done, missing, waiting]);
      expect(await own.queue.getJob(done!)).toBeUndefined();
      expect(await own.queue.getJob(missing!)).toBeDefined();
      expect(await sendJobCount(own)).toBe(2);
    } finally {
      await own.stop();
    }
  });
});

describe('POST /v1/sms/batch with REDIS_WAIT_REPLICAS', () => {
  // This Redis has no replica, so no batch is ever confirmed.
  it('answers 503 with 5030 when replicas do not confirm, and a repeat with the key adds no second copy', async () => {
    const waiting = await startApi(redis.url, {}, undefined, { waitReplicas: 1 });
    try {
      const key = randomUUID();
      const batch = texts('unconfirmed', 4);
      const first = await postBatch(waiting, batch, { 'idempotency-key': key });
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('5');
      expect(await first.json()).toMatchObject({ code: 5030, message: expect.stringContaining('replica') });
      const again = await postBatch(waiting, batch, { 'idempotency-key': key });
      expect(again.status).toBe(503);
      expect(await sendJobCount(waiting)).toBe(4);
    } finally {
      await waiting.stop();
    }
  });
});
