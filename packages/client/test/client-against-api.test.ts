import {
  FAULT_TEST_API_KEY,
  type RedisServer,
  type Stack,
  startStack,
  uniqueTexts,
  waitFor,
} from '@sms/testing';
import { type CallbackReceiver, startCallbackReceiver } from '../../../test/callbacks/callback-receiver';
import { isSmsClientError, SmsClient, SmsClientError, verifyCallback } from '../src';
import { type CountingProxy, startCountingProxy } from './counting-proxy';

// The client against the gateway as deployed: the API and a worker as processes, the simulator
// as Kaarai, a Redis of the stack's own (frozen in one test), and a proxy in front of the API
// that records every request the client makes and the status the API answered.
const SECRET = 'client-callback-secret-0123456789';
const TO = '573001234567';
// Two more clients with quotas: two requests a second, and one message a day.
const PER_SECOND_KEY = 'per-second-key-0123456789';
const PER_DAY_KEY = 'per-day-key-0123456789';

let stack: Stack<RedisServer>;
let proxy: CountingProxy;
let receiver: CallbackReceiver;
let client: SmsClient;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  const callbacks = { CALLBACK_ALLOWED_HOSTS: `faults=${receiver.origin}` };
  stack = await startStack({
    redisServer: {},
    apiEnv: {
      ...callbacks,
      ENQUEUE_TIMEOUT_MS: '1500',
      API_KEYS: `faults=${FAULT_TEST_API_KEY},persecond=${PER_SECOND_KEY},perday=${PER_DAY_KEY}`,
      CLIENT_QUOTAS: 'persecond=2/s,perday=1/d',
    },
    workerEnv: { ...callbacks, CALLBACK_SECRETS: `faults=${SECRET}` },
  });
  proxy = await startCountingProxy(stack.api.url);
  client = new SmsClient({ baseUrl: proxy.url, apiKey: FAULT_TEST_API_KEY });
}, 60_000);
afterAll(async () => {
  await proxy?.stop();
  await stack?.stop();
  await receiver?.stop();
});

const requestsTo = (path: string) => proxy.requests.filter((r) => r.path.startsWith(path));
const finalStatus = (id: string) =>
  waitFor(
    async () => {
      const status = await client.get(id);
      return ['accepted', 'accepted_queued', 'dead_lettered', 'failed'].includes(status.status) && status;
    },
    { timeoutMs: 20_000, description: `message ${id} to become final` },
  );

it('sends a message, reads its status, and finds it by its reference', async () => {
  const [text] = uniqueTexts('client send', 1);
  const reference = `client-${Date.now()}`;
  const accepted = await client.send({ to: TO, text: text!, reference });

  expect(accepted).toMatchObject({ status: 'queued', reference, priority: 'normal' });
  expect(await finalStatus(accepted.id)).toMatchObject({
    id: accepted.id,
    status: 'accepted',
    lastCode: 2020,
  });
  const found = await client.findByReference(reference);
  expect(found.map((message) => message.id)).toEqual([accepted.id]);
  expect(await stack.simulator.admin.tally([text!])).toMatchObject({
    delivered: 1,
    duplicated: [],
    lost: [],
  });
});

it('sends a batch, the valid messages accepted and the invalid one refused with its code and field', async () => {
  const texts = uniqueTexts('client batch', 2);
  const answer = await client.sendBatch([
    { to: TO, text: texts[0]! },
    { to: '12', text: 'no country code' },
    { to: TO, text: texts[1]! },
  ]);

  expect(answer).toMatchObject({ accepted: 2, rejected: 1 });
  expect(answer.messages[1]).toMatchObject({ error: { code: 4003, field: 'to' } });
  await waitFor(async () => (await stack.simulator.admin.tally(texts)).delivered === 2, {
    timeoutMs: 20_000,
    description: 'both messages of the batch delivered',
  });
});

it('rejects a batch without a valid message with 4012 and each message’s error', async () => {
  const error = await client.sendBatch([{ to: '12', text: 'x' }]).catch((e: unknown) => e);

  expect(isSmsClientError(error, 4012)).toBe(true);
  expect(error).toMatchObject({ status: 400, attempts: 1, body: { rejected: 1 } });
});

it('cancels a scheduled message, and says 4092 when asked again', async () => {
  const sendAt = new Date(Date.now() + 3_600_000).toISOString();
  const { id } = await client.send({ to: TO, text: 'client cancel', sendAt });

  expect(await client.cancel(id)).toMatchObject({ id, status: 'canceled' });
  const again = await client.cancel(id).catch((e: unknown) => e);
  expect(isSmsClientError(again, 4091, 4092) && again.code).toBe(4092);
});

it('does not retry a 4xx: one request, the gateway’s code, status and field', async () => {
  const before = requestsTo('/v1/sms').length;
  const error = await client.send({ to: '12', text: 'refused' }).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(SmsClientError);
  expect(error).toMatchObject({ code: 4003, status: 400, field: 'to', attempts: 1 });
  expect((error as SmsClientError).requestId).toEqual(expect.any(String));
  const missing = await client.get('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
  expect(missing).toMatchObject({ code: 4041, status: 404, attempts: 1 });
  expect(requestsTo('/v1/sms').length - before).toBe(2);
});

it('retries a 429 of the requests-per-second quota after its Retry-After, under the same keys', async () => {
  const quoted = new SmsClient({ baseUrl: proxy.url, apiKey: PER_SECOND_KEY });
  const texts = uniqueTexts('client 429', 5);
  const before = proxy.requests.length;
  const accepted = await Promise.all(texts.map((text) => quoted.send({ to: TO, text })));

  const posts = proxy.requests.slice(before);
  const refused = posts.filter((r) => r.status === 429);
  expect(refused.length).toBeGreaterThan(0);
  expect(posts.filter((r) => r.status === 202)).toHaveLength(5);
  const acceptedKeys = new Set(
    posts.filter((r) => r.status === 202).map((r) => r.headers['idempotency-key']),
  );
  for (const r of refused) expect(acceptedKeys.has(r.headers['idempotency-key'])).toBe(true);
  expect(new Set(accepted.map((message) => message.id)).size).toBe(5);
}, 30_000);

it('fails at once with 4291 when the day’s quota is used up, Retry-After being past the deadline', async () => {
  // A deadline of a second: only in the last second of a UTC day would the wait fit in it.
  const daily = new SmsClient({ baseUrl: proxy.url, apiKey: PER_DAY_KEY, deadlineMs: 1_000 });
  await daily.send({ to: TO, text: 'client daily quota' });
  const error = await daily.send({ to: TO, text: 'client daily quota, again' }).catch((e: unknown) => e);

  expect(isSmsClientError(error, 4291)).toBe(true);
  expect(error).toMatchObject({ status: 429, attempts: 1, retryAfterMs: expect.any(Number) });
});

it('retries a 503 with the same Idempotency-Key until Redis answers, and the message is sent once', async () => {
  const [text] = uniqueTexts('client 503', 1);
  const before = proxy.requests.length;
  await stack.redis.freeze();
  let sent: Promise<unknown>;
  try {
    sent = client.send({ to: TO, text: text! }, { idempotencyKey: `client-503-${Date.now()}` });
    sent.catch(() => {});
    // The API gives up on a frozen Redis after ENQUEUE_TIMEOUT_MS and answers 503 (5030).
    await waitFor(() => proxy.requests.slice(before).some((r) => r.status === 503), {
      timeoutMs: 15_000,
      description: 'the API to answer 503 while Redis is frozen',
    });
  } finally {
    await stack.redis.thaw();
  }
  const accepted = await sent;

  const posts = proxy.requests.slice(before).filter((r) => r.method === 'POST');
  expect(posts.length).toBeGreaterThanOrEqual(2);
  expect(posts[0]!.status).toBe(503);
  expect(posts[posts.length - 1]!.status).toBe(202);
  expect(new Set(posts.map((r) => r.headers['idempotency-key'])).size).toBe(1);
  expect(accepted).toMatchObject({ status: 'queued' });
  await finalStatus((accepted as { id: string }).id);
  expect(await stack.simulator.admin.tally([text!])).toMatchObject({
    delivered: 1,
    duplicated: [],
    lost: [],
  });
}, 60_000);

it('verifies a real status callback, and refuses it tampered with or under another secret', async () => {
  const { id } = await client.send({
    to: TO,
    text: 'client callback',
    callbackUrl: `${receiver.origin}/sms-status`,
  });
  const callback = await waitFor(() => receiver.requests(id).find((r) => r.event.status === 'accepted'), {
    timeoutMs: 20_000,
    description: 'the accepted callback',
  });

  expect(verifyCallback(callback.body, callback.headers, SECRET)).toBe(true);
  expect(verifyCallback(callback.body, new Headers(callback.headers as Record<string, string>), SECRET)).toBe(
    true,
  );
  expect(verifyCallback(callback.body.replace('"accepted"', '"failed"'), callback.headers, SECRET)).toBe(
    false,
  );
  expect(verifyCallback(callback.body, callback.headers, `${SECRET}x`)).toBe(false);
  expect(
    verifyCallback(callback.body, callback.headers, SECRET, { nowSeconds: Date.now() / 1000 + 301 }),
  ).toBe(false);
});
