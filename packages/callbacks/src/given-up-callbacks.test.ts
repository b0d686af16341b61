import { randomUUID } from 'node:crypto';
import { startRedis, type TestRedis } from '@sms/testing';
import Redis from 'ioredis';
import { CallbackOutbox, type PendingEvent } from './callback-outbox';
import { type CallbackQueue, createCallbackQueue } from './callback-queue';
import { GivenUpCallbacks } from './given-up-callbacks';

// Real Redis and a real BullMQ queue; only the clock is the test's.
let server: TestRedis;
let redis: Redis;
const queues: CallbackQueue[] = [];
let clock: number;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
  redis?.disconnect();
  await server?.stop();
});

const job = { attempts: 3 };

function setup() {
  clock = 1_000_000;
  const prefix = `{g${randomUUID().slice(0, 8)}}`;
  const now = () => clock;
  const outbox = new CallbackOutbox(redis, { prefix, retentionSeconds: 3600, now });
  const givenUp = new GivenUpCallbacks(redis, {
    prefix,
    retentionSeconds: 3600,
    outboxRetentionSeconds: 3600,
    now,
  });
  const queue = createCallbackQueue({ connection: redis, prefix });
  queues.push(queue);
  const event = (client: string, status: PendingEvent['status']): PendingEvent => ({
    client,
    url: `https://hooks.${client}.internal/sms?token=secret`,
    status,
    at: clock,
  });
  // Pushes the events and gives each up in turn, as the callback processor does.
  const giveUpAll = async (messageId: string, client: string, statuses: PendingEvent['status'][]) => {
    for (const status of statuses) await outbox.push(messageId, event(client, status));
    for (const _ of statuses) {
      const head = await outbox.head(messageId);
      await givenUp.giveUp(messageId, head!, { lastError: 'the receiver answered 503', attempts: 3 });
      clock += 1;
    }
  };
  return { prefix, outbox, givenUp, queue, giveUpAll };
}

it('keeps a given-up head with its last error, out of the outbox, and shows the body a replay posts', async () => {
  const { outbox, givenUp, giveUpAll } = setup();
  await giveUpAll('m1', 'shop', ['accepted']);
  expect(await outbox.head('m1')).toBeUndefined();
  const details = await givenUp.show('m1:1');
  expect(details).toEqual({
    id: 'm1:1',
    messageId: 'm1',
    sequence: 1,
    client: 'shop',
    status: 'accepted',
    host: 'hooks.shop.internal',
    at: new Date(1_000_000).toISOString(),
    givenUpAt: new Date(1_000_000).toISOString(),
    attempts: 3,
    lastError: 'the receiver answered 503',
    event: {
      id: 'm1:1',
      sequence: 1,
      messageId: 'm1',
      status: 'accepted',
      at: new Date(1_000_000).toISOString(),
    },
  });
  expect(await givenUp.show('m1:2')).toBeUndefined();
  expect(await givenUp.counts()).toEqual({ givenUp: 1, replayed: 0 });
});

it('does not keep an entry that is no longer the head', async () => {
  const { outbox, givenUp, giveUpAll } = setup();
  await giveUpAll('m1', 'shop', ['accepted']);
  await outbox.push('m1', {
    client: 'shop',
    url: 'https://hooks.shop.internal/',
    status: 'failed',
    at: 1,
  });
  const stale = { ...(await outbox.head('m1'))!, raw: '1:{}' };
  expect(await givenUp.giveUp('m1', stale, { lastError: 'x', attempts: 3 })).toBe(1);
  expect((await givenUp.counts()).givenUp).toBe(1);
});

it('pages newest first without skipping or repeating, members of one millisecond included', async () => {
  const { givenUp, giveUpAll } = setup();
  await giveUpAll('a', 'shop', ['accepted', 'retrying']);
  clock -= 2; // three given up in the same millisecond
  await giveUpAll('b', 'shop', ['accepted']);
  clock -= 1;
  await giveUpAll('c', 'crm', ['accepted']);
  await giveUpAll('d', 'crm', ['retrying', 'failed']);
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await givenUp.list({ limit: 2, ...(cursor !== undefined && { cursor }) });
    expect(page.total).toBe(6);
    seen.push(...page.callbacks.map(({ id }) => id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  // By time, then by id, last first: d:2 alone at +2; d:1 and a:2 at +1; c:1, b:1 and a:1 at +0.
  expect(seen).toEqual(['d:2', 'd:1', 'a:2', 'c:1', 'b:1', 'a:1']);
});

it('filters by client and by when it was given up', async () => {
  const { givenUp, giveUpAll } = setup();
  await giveUpAll('a', 'shop', ['accepted', 'retrying', 'failed']);
  await giveUpAll('b', 'crm', ['accepted']);
  expect((await givenUp.list({ limit: 10, client: 'crm' })).callbacks.map(({ id }) => id)).toEqual(['b:1']);
  const window = await givenUp.list({ limit: 10, client: 'shop', since: 1_000_001, until: 1_000_002 });
  expect(window).toEqual({ callbacks: [expect.objectContaining({ id: 'a:2' })], total: 1 });
  expect(await givenUp.count({ since: 1_000_002 })).toBe(2);
});

it('replays oldest first behind what already waits, renumbering nothing, and counts it', async () => {
  const { outbox, givenUp, queue, giveUpAll } = setup();
  await giveUpAll('m', 'shop', ['accepted', 'retrying']);
  await outbox.push('m', {
    client: 'shop',
    url: 'https://hooks.shop.internal/',
    status: 'failed',
    at: clock,
  });
  const result = await givenUp.replay(['m:2', 'm:9', 'm:1', 'nonsense'], queue, job);
  expect(result).toEqual({ replayed: ['m:1', 'm:2'], notFound: ['nonsense', 'm:9'] });
  const order: number[] = [];
  for (let head = await outbox.head('m'); head; head = await outbox.head('m')) {
    order.push(head.event.sequence);
    await outbox.remove('m', head);
  }
  expect(order).toEqual([3, 1, 2]);
  expect(await givenUp.counts()).toEqual({ givenUp: 0, replayed: 2 });
  expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
  expect(await givenUp.replay(['m:1'], queue, job)).toEqual({ replayed: [], notFound: ['m:1'] });
});

it('replays all that a filter selects, and nothing else', async () => {
  const { givenUp, queue, giveUpAll } = setup();
  await giveUpAll('a', 'shop', ['accepted', 'retrying']);
  await giveUpAll('b', 'crm', ['accepted']);
  expect(await givenUp.replayAll({ client: 'shop' }, queue, job)).toEqual({
    replayed: ['a:1', 'a:2'],
    notFound: [],
  });
  expect((await givenUp.list({ limit: 10 })).callbacks.map(({ id }) => id)).toEqual(['b:1']);
});

it('sweeps those past the retention, from every index', async () => {
  const { givenUp, giveUpAll } = setup();
  await giveUpAll('old', 'shop', ['accepted']);
  clock += 3_000_000;
  await giveUpAll('new', 'shop', ['accepted']);
  clock += 1_000_000;
  expect(await givenUp.sweep()).toBe(1);
  expect((await givenUp.list({ limit: 10, client: 'shop' })).callbacks.map(({ id }) => id)).toEqual([
    'new:1',
  ]);
  expect(await givenUp.show('old:1')).toBeUndefined();
  expect((await givenUp.counts()).givenUp).toBe(1);
});
