/**
 * Given-up status callbacks replayed, end to end: the API and worker processes as deployed, the
 * simulator over HTTPS, and a client's receiver that refuses posts (503) and then takes them.
 * Fault: the receiver is down while messages change status, so their callbacks are given up
 * after CALLBACK_ATTEMPTS; it then comes back. Load: a handful of messages, one or two events each.
 * Invariant: every given-up callback is listed with its last error until replayed; a replay posts
 * exactly the callbacks it selects, each message's oldest first, signed when posted with the
 * client's secret; an older callback replayed after a newer one was delivered arrives after it,
 * with its own (lower) sequence.
 */
import { CALLBACK_SIGNATURE_HEADER, verifyCallbackSignature } from '@sms/contracts';
import { metricValue, waitFor } from '@sms/testing';
import { type CallbackReceiver, startCallbackReceiver } from './callback-receiver';
import { type CallbackStack, startCallbackStack } from './callback-stack';

const SECRET = 'faults-callback-secret-0123456789';
const ADMIN_KEY = 'replay-admin-key-0123456789';

let receiver: CallbackReceiver;
let stack: CallbackStack;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  stack = await startCallbackStack({
    callbacks: { CALLBACK_ALLOWED_HOSTS: `faults=${receiver.origin}`, CALLBACK_ATTEMPTS: '2' },
    worker: {
      CALLBACK_SECRETS: `faults=${SECRET}`,
      CALLBACK_RETRY_BASE_DELAY_MS: '20',
      CALLBACK_RETRY_MAX_DELAY_MS: '50',
    },
    api: { ADMIN_API_KEYS: `ops=${ADMIN_KEY}` },
  });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.stop();
});

interface Listed {
  readonly callbacks: { id: string; messageId: string; sequence: number; lastError: string }[];
  readonly total: number;
}

async function admin(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${stack.api.adminUrl}/v1/admin/callbacks${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_KEY}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function send(text: string): Promise<string> {
  const response = await stack.api.post({
    to: '573001234567',
    text,
    callbackUrl: `${receiver.origin}/hooks`,
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

/** Waits until `count` callbacks of the message are listed as given up. */
const givenUpOf = (messageId: string, count: number) =>
  waitFor(
    async () => {
      const listed = (await admin('GET', '?limit=500')).body as unknown as Listed;
      const mine = listed.callbacks.filter((callback) => callback.messageId === messageId);
      return mine.length === count && mine;
    },
    { timeoutMs: 30_000, intervalMs: 50, description: `${count} callbacks of ${messageId} given up` },
  );

const deliveredOf = (messageId: string, count: number) =>
  waitFor(
    () => {
      const posts = receiver.requests(messageId).filter((post) => post.answered < 300);
      return posts.length >= count && posts;
    },
    { timeoutMs: 30_000, intervalMs: 50, description: `${count} callbacks of ${messageId} delivered` },
  );

const gauge = async (name: string) => metricValue(await stack.worker.metrics(), name) ?? 0;

it('lists and shows given-up callbacks, replays what a filter selects oldest first, signed when posted', async () => {
  receiver.fail(Number.POSITIVE_INFINITY, 503);
  // Kaarai refuses the first send once: the message has `retrying` (1), then `accepted` (2).
  await stack.simulator.admin.setFaults({ failNext: 1 });
  const first = await send(`replay first ${Date.now()}`);
  await givenUpOf(first, 2);
  const between = new Date().toISOString();
  const second = await send(`replay second ${Date.now()}`);
  await givenUpOf(second, 1);

  const shown = await admin('GET', `/${first}:1`);
  expect(shown.status).toBe(200);
  expect(shown.body).toEqual(
    expect.objectContaining({
      id: `${first}:1`,
      sequence: 1,
      status: 'retrying',
      client: 'faults',
      attempts: 2,
      lastError: 'the receiver answered 503',
      event: expect.objectContaining({ id: `${first}:1`, sequence: 1, status: 'retrying' }),
    }),
  );
  expect(await gauge('sms_callbacks_given_up')).toBe(3);

  receiver.recover();
  const replayedAt = Math.floor(Date.now() / 1000);
  const replay = await admin('POST', '/replay', { client: 'faults', until: between });
  expect(replay).toEqual({ status: 200, body: { replayed: [`${first}:1`, `${first}:2`], notFound: [] } });

  const posts = await deliveredOf(first, 2);
  expect(posts.map((post) => [post.event.sequence, post.event.status])).toEqual([
    [1, 'retrying'],
    [2, 'accepted'],
  ]);
  for (const post of posts) {
    const header = post.headers[CALLBACK_SIGNATURE_HEADER.toLowerCase()] as string;
    expect(verifyCallbackSignature(header, post.body, SECRET)).toBe(true);
    // Signed at the replay, not when the event was first posted.
    expect(Number(/t=(\d+)/.exec(header)![1])).toBeGreaterThanOrEqual(replayedAt);
  }
  // The filter left the second message's callback alone.
  expect(receiver.requests(second).filter((post) => post.answered < 300)).toEqual([]);
  expect((await admin('GET', '')).body).toEqual(
    expect.objectContaining({ total: 1, callbacks: [expect.objectContaining({ id: `${second}:1` })] }),
  );
  expect(await gauge('sms_callbacks_given_up')).toBe(1);
  expect(await gauge('sms_callbacks_replayed_total')).toBe(2);

  expect((await admin('POST', `/${second}:1/replay`)).status).toBe(200);
  expect((await deliveredOf(second, 1)).map((post) => post.event.sequence)).toEqual([1]);
  const again = await admin('POST', `/${second}:1/replay`);
  expect([again.status, again.body.code]).toEqual([404, 4043]);
});

it('posts an older callback replayed after a newer one was delivered after it, with its own sequence', async () => {
  // The receiver refuses both attempts at `retrying` (1), then takes `accepted` (2).
  receiver.fail(2, 503);
  await stack.simulator.admin.setFaults({ failNext: 1 });
  const id = await send(`replay late ${Date.now()}`);
  await givenUpOf(id, 1);
  await deliveredOf(id, 1);

  expect((await admin('POST', `/${id}:1/replay`)).body).toEqual({ replayed: [`${id}:1`], notFound: [] });
  const posts = await deliveredOf(id, 2);
  expect(posts.map((post) => [post.event.sequence, post.event.status])).toEqual([
    [2, 'accepted'],
    [1, 'retrying'],
  ]);
});
