/**
 * Signed status callbacks, end to end: the API and worker processes as deployed, the simulator
 * over HTTPS, and a client's receiver on a local port. The receiver is told of each state change
 * of a message, signed with its client's secret, in order, whatever it and Kaarai do meanwhile.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisKeyPrefix } from '@sms/config';
import { type CallbackEvent, type SmsJobData, verifyCallbackSignature } from '@sms/contracts';
import { createProducerConnection, createSmsQueue, enqueueSms } from '@sms/queue';
import {
  type ApiProcess,
  metricValue,
  type RunningSimulator,
  type TestRedis,
  type WorkerProcess,
  waitFor,
} from '@sms/testing';
import { type CallbackReceiver, startCallbackReceiver } from './callback-receiver';
import { type CallbackStack, startCallbackStack } from './callback-stack';

const SECRET = 'faults-callback-secret-0123456789';
const OTHER_SECRET = 'another-clients-secret-0123456789';

let redis: TestRedis;
let simulator: RunningSimulator;
let receiver: CallbackReceiver;
// Never on the allow-list: it must never be called.
let stranger: CallbackReceiver;
let api: ApiProcess;
let worker: WorkerProcess;
let stack: CallbackStack;
let dir: string;
let prefix: string;

beforeAll(async () => {
  [receiver, stranger] = await Promise.all([startCallbackReceiver(), startCallbackReceiver()]);
  dir = mkdtempSync(join(tmpdir(), 'callbacks-'));
  // Mounted as a file, one client=secret a line, the way Kubernetes hands secrets over.
  const secrets = join(dir, 'callback-secrets');
  writeFileSync(secrets, `faults=${SECRET}\nother=${OTHER_SECRET}\n`);
  stack = await startCallbackStack({
    callbacks: {
      CALLBACK_ALLOWED_HOSTS: `faults=${receiver.origin}|hooks.faults.invalid`,
      CALLBACK_ATTEMPTS: '40',
    },
    worker: {
      CALLBACK_SECRETS_FILE: secrets,
      CALLBACK_RETRY_BASE_DELAY_MS: '50',
      CALLBACK_RETRY_MAX_DELAY_MS: '250',
    },
  });
  ({ redis, simulator, api, worker, prefix } = stack);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await Promise.all([receiver?.stop(), stranger?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  receiver.recover();
  await simulator.admin.clearFaults();
});

async function send(extra: Record<string, unknown>): Promise<string> {
  const response = await api.post({ to: '573001234567', text: `callback ${Date.now()}`, ...extra });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 202) throw new Error(`POST answered ${response.status}: ${JSON.stringify(body)}`);
  return body.id!;
}

const eventsUntil = (messageId: string, count: number) =>
  waitFor(() => receiver.delivered(messageId).length >= count && receiver.delivered(messageId), {
    timeoutMs: 30_000,
    intervalMs: 50,
    description: `${count} callbacks of ${messageId}`,
  });

// Kaarai answers 5030 twice, then accepts: the receiver hears each step, numbered.
const RETRIED_TWICE = [
  [1, 'retrying', 5030],
  [2, 'retrying', 5030],
  [3, 'accepted', 2020],
];

const summary = (events: readonly CallbackEvent[]) => events.map((e) => [e.sequence, e.status, e.code]);

it('posts a signed event that verifies with the client secret and not with another', async () => {
  const id = await send({ callbackUrl: `${receiver.origin}/hooks/sms`, reference: 'order-17' });
  const [event] = await eventsUntil(id, 1);
  const request = receiver.requests(id)[0]!;
  expect(event).toEqual({
    id: `${id}:1`,
    sequence: 1,
    messageId: id,
    reference: 'order-17',
    status: 'accepted',
    code: 2020,
    at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
  });
  expect(request.headers['content-type']).toBe('application/json');
  expect(request.headers['sms-event-id']).toBe(`${id}:1`);
  const signature = request.headers['sms-signature'] as string;
  expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  expect(verifyCallbackSignature(signature, request.body, SECRET)).toBe(true);
  expect(verifyCallbackSignature(signature, request.body, OTHER_SECRET)).toBe(false);
  expect(verifyCallbackSignature(signature, request.body.replace('accepted', 'failed'), SECRET)).toBe(false);
  // A captured request replayed after the window is refused by a receiver that checks the time.
  const later = Number(/t=(\d+)/.exec(signature)![1]) + 301;
  expect(verifyCallbackSignature(signature, request.body, SECRET, later)).toBe(false);
});

it('reports two 5030 retries and the acceptance, in order', async () => {
  await simulator.admin.setFaults({ failNext: 2 });
  const id = await send({ callbackUrl: `${receiver.origin}/hooks/sms` });
  const events = await eventsUntil(id, 3);
  expect(summary(events)).toEqual(RETRIED_TWICE);
});

it('retries a failing receiver and then delivers every event, still in order', async () => {
  receiver.fail(5, 500);
  await simulator.admin.setFaults({ failNext: 2 });
  const id = await send({ callbackUrl: `${receiver.origin}/hooks/sms` });
  const events = await eventsUntil(id, 3);
  expect(summary(events)).toEqual(RETRIED_TWICE);
  // Every request, refused or not: no event was posted before the one ahead of it was delivered.
  const sequences = receiver.requests(id).map((r) => r.event.sequence);
  expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  expect(receiver.requests(id).filter((r) => r.answered === 500).length).toBeGreaterThan(0);
  const metrics = await worker.metrics();
  expect(
    metricValue(metrics, 'sms_callbacks_total', { outcome: 'failed', status_class: '5xx', client: 'faults' }),
  ).toBeGreaterThan(0);
});

it('sends the message while the receiver is down, and the event once it is back', async () => {
  receiver.fail(Number.POSITIVE_INFINITY, 503);
  const text = `receiver down ${Date.now()}`;
  const id = await send({ text, callbackUrl: `${receiver.origin}/hooks/sms` });
  await waitFor(async () => (await api.status(id)).status === 'accepted', {
    timeoutMs: 20_000,
    description: `${id} accepted by Kaarai`,
  });
  expect(await simulator.admin.tally([text])).toMatchObject({ delivered: 1, duplicated: [], lost: [] });
  await waitFor(() => receiver.requests(id).length >= 2, { timeoutMs: 20_000, description: 'retried posts' });
  expect(receiver.delivered(id)).toEqual([]);
  receiver.recover();
  expect(summary(await eventsUntil(id, 1))).toEqual([[1, 'accepted', 2020]]);
});

it('tells the receiver that an at-most-once message whose answer Kaarai lost ended unknown', async () => {
  // Kaarai takes the message and the answer is cut off: it is never sent again, and said so.
  await simulator.admin.setFaults({ loseAnswerNext: 1 });
  const text = `lost answer ${Date.now()}`;
  const id = await send({ text, delivery: 'at-most-once', callbackUrl: `${receiver.origin}/hooks/sms` });
  const [event] = await eventsUntil(id, 1);
  expect(event).toMatchObject({ sequence: 1, status: 'unknown' });
  expect(event).not.toHaveProperty('code');
  expect(await api.status(id)).toMatchObject({ status: 'unknown', delivery: 'at-most-once' });
  expect(await simulator.admin.tally([text])).toMatchObject({ delivered: 1, duplicated: [] });
});

it('tells the receiver of a cancellation', async () => {
  const sendAt = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const id = await send({ sendAt, callbackUrl: `${receiver.origin}/hooks/sms`, reference: 'to-cancel' });
  const canceled = await fetch(`${api.url}/v1/sms/${id}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${api.apiKey}` },
  });
  expect(canceled.status).toBe(200);
  const [event] = await eventsUntil(id, 1);
  expect(event).toMatchObject({ sequence: 1, status: 'canceled', reference: 'to-cancel' });
});

it('refuses a callbackUrl off the allow-list at request time, and never calls it', async () => {
  const refused = async (callbackUrl: string) => {
    const response = await api.post({ to: '573001234567', text: 'never', callbackUrl });
    return { status: response.status, body: (await response.json()) as { code: number; field: string } };
  };
  for (const url of [
    `${stranger.origin}/hooks/sms`,
    'https://attacker.example/hooks',
    // The allowed host, but over plain http or on another port than its entry names.
    'http://hooks.faults.invalid/hooks',
    'https://hooks.faults.invalid:8443/hooks',
    `${receiver.origin.replace('127.0.0.1', '127.0.0.2')}/hooks`,
  ]) {
    expect([url, await refused(url)]).toEqual([
      url,
      { status: 400, body: expect.objectContaining({ code: 4014, field: 'callbackUrl' }) },
    ]);
  }
  for (const url of ['ftp://hooks.faults.invalid/', 'https://user:pw@hooks.faults.invalid/', 'not a url']) {
    expect([url, (await refused(url)).body.code]).toEqual([url, 4013]);
  }
  const batch = await fetch(`${api.url}/v1/sms/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ to: '573001234567', text: 'x', callbackUrl: stranger.origin }] }),
  });
  expect(batch.status).toBe(400);
  expect(await batch.json()).toMatchObject({
    code: 4012,
    messages: [{ error: expect.objectContaining({ code: 4014, field: 'callbackUrl' }) }],
  });
  expect(stranger.received).toEqual([]);
});

it('refuses at delivery a URL that reached the queue without the allow-list, and never calls it', async () => {
  // As if the allow-list had shrunk since the message was accepted.
  const connection = createProducerConnection({ kind: 'server', url: redis.url });
  const queue = createSmsQueue({ connection, prefix: redisKeyPrefix(prefix) });
  try {
    const id = `direct-${Date.now()}`;
    const data: SmsJobData = {
      to: '573001234567',
      text: 'queued behind the API',
      client: 'faults',
      acceptedAt: Date.now(),
      expiresAt: Date.now() + 3_600_000,
      callbackUrl: `${stranger.origin}/hooks/sms`,
    };
    await enqueueSms(queue, id, data, { attempts: 3 });
    await waitFor(
      async () =>
        (metricValue(await worker.metrics(), 'sms_callbacks_total', {
          outcome: 'refused',
          status_class: 'none',
          client: 'faults',
        }) ?? 0) >= 1,
      { timeoutMs: 20_000, description: 'a refused callback' },
    );
    expect(stranger.received).toEqual([]);
  } finally {
    await queue.close();
    connection.disconnect();
  }
});
