import { randomUUID } from 'node:crypto';
import {
  createDeadLetterQueue,
  createSmsQueue,
  type DeadLetterEntry,
  type DeadLetterQueue,
  deadLetter,
} from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import { type ConnectedRedis, connectTestRedis } from '@sms/testing';
import type Redis from 'ioredis';
import { sampleEntry } from '../test/open-dead-letters';
import { compareNewestFirst, encodeCursor } from './dead-letter-cursor';
import { DeadLetterIndex } from './dead-letter-index';
import { DeadLetters } from './dead-letters';

let connected: ConnectedRedis;
let redis: Redis;
const queues: Array<Pick<DeadLetterQueue, 'close'>> = [];

beforeAll(async () => {
  connected = await connectTestRedis();
  redis = connected.redis;
});
afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
  await connected?.stop();
});

/** An index over a queue of its own, holding the entries given as [id, time, reason?]. */
async function indexOf(rows: ReadonlyArray<readonly [string, number, DeadLetterEntry['reason']?]>) {
  const prefix = `dli-${randomUUID().slice(0, 8)}`;
  const queue = createDeadLetterQueue({ connection: redis, prefix });
  queues.push(queue);
  for (const [id, at, reason] of rows) await deadLetter(queue, id, sampleEntry(at, reason));
  const index = new DeadLetterIndex(queue, redis, prefix);
  await index.ensureBuilt();
  const ids = async (...args: Parameters<DeadLetterIndex['page']>) =>
    (await index.page(...args)).rows.map((row) => row.id);
  return { prefix, index, queue, ids };
}

describe('a page of the index', () => {
  it('sorts newest first, and by id within one millisecond', async () => {
    const { ids } = await indexOf([
      ['a', 100],
      ['b', 300, 'expired'],
      ['c', 200],
      ['d', 300],
    ]);
    expect(await ids({}, undefined, 10, false)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('keeps since and excludes until', async () => {
    const { ids, index } = await indexOf([
      ['a', 100],
      ['b', 300, 'expired'],
      ['c', 200],
      ['d', 300],
    ]);
    expect(await ids({ since: 200, until: 300 }, undefined, 10, true)).toEqual(['c']);
    expect(await ids({ reason: 'expired' }, undefined, 10, true)).toEqual(['b']);
    expect(await index.count({ since: 200, until: 300 })).toBe(1);
    expect(await index.count({ since: 200 })).toBe(3);
    expect(await index.count({ reason: 'rejected', until: 300 })).toBe(2);
  });

  it('walks every entry once, page by page', async () => {
    const { index } = await indexOf(Array.from({ length: 7 }, (_, i) => [`m${i}`, 1_000 + i] as const));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await index.page({}, cursor, 3, true);
      expect(page.total).toBe(7);
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
  });

  it('continues after the cursor even when the entry it names is gone', async () => {
    const { ids, index, queue } = await indexOf(
      Array.from({ length: 7 }, (_, i) => [`m${i}`, 1_000 + i] as const),
    );
    const cursor = encodeCursor({ deadLetteredAt: 1_004, id: 'm4' });
    await queue.remove('m4');
    await index.forget('m4');
    expect(await ids({}, cursor, 2, true)).toEqual(['m3', 'm2']);
  });

  it('gives no cursor on the last page', async () => {
    const { index } = await indexOf(Array.from({ length: 7 }, (_, i) => [`m${i}`, 1_000 + i] as const));
    expect((await index.page({}, undefined, 7, true)).nextCursor).toBeUndefined();
    expect((await index.page({}, undefined, 6, true)).nextCursor).toBeDefined();
  });

  it('orders ties as compareNewestFirst does, and pages through them from any cursor', async () => {
    // Ids of one millisecond whose byte order differs from case-blind, numeric or UTF-16 order.
    const tied = ['b', 'B', 'a10', 'a9', 'é', 'z', '\u{1F600}', '\uFF5E', 'a', 'aa'];
    const rows = [
      ...tied.map((id) => [id, 5_000] as const),
      ['newer', 6_000] as const,
      ['older', 4_000] as const,
    ];
    const { index, ids, queue } = await indexOf(rows);
    const expected = rows
      .map(([id, deadLetteredAt]) => ({ id, deadLetteredAt }))
      .sort(compareNewestFirst)
      .map((row) => row.id);
    expect(await ids({}, undefined, 20, true)).toEqual(expected);

    for (let i = 0; i < expected.length; i++) {
      const [id, at] = rows.find(([candidate]) => candidate === expected[i])!;
      const cursor = encodeCursor({ deadLetteredAt: at, id });
      expect(await ids({}, cursor, 3, true)).toEqual(expected.slice(i + 1, i + 4));
    }
    // A cursor on a tied entry that is gone since: the page goes on where it stood.
    await queue.remove('a9');
    await index.forget('a9');
    const after = expected.slice(expected.indexOf('a9') + 1, expected.indexOf('a9') + 4);
    expect(await ids({}, encodeCursor({ deadLetteredAt: 5_000, id: 'a9' }), 3, true)).toEqual(after);
  });

  it('leaves out and forgets a member whose job is gone, but not one being written', async () => {
    const { index, ids, queue } = await indexOf([
      ['kept', 300],
      ['lost', 200],
    ]);
    // A crash between the index write and the job add leaves this state.
    await redis.del(queue.toKey('lost'));
    expect(await ids({}, undefined, 10, true)).toEqual(['kept']);
    expect(await index.count({})).toBe(1);

    await redis.zadd(index.keys.all, 100, 'writing');
    await redis.set(`${index.keys.writingPrefix}writing`, '1', 'PX', 60_000);
    expect(await ids({}, undefined, 10, true)).toEqual(['kept']);
    expect(await index.forget('writing')).toBe(false);
    expect(await index.count({})).toBe(2);
  });
});

it('counts a member left without its entry among the replays not found, and forgets it', async () => {
  const { prefix, index, queue } = await indexOf([
    ['kept', 300, 'expired'],
    ['lost', 200, 'expired'],
  ]);
  await redis.del(queue.toKey('lost'));
  const smsQueue = createSmsQueue({ connection: redis, prefix });
  queues.push(smsQueue);
  const statusStore = new StatusStore(redis, { prefix });
  const deadLetters = new DeadLetters({
    deadLetterQueue: queue,
    smsQueue,
    statusStore,
    redis,
    prefix,
    sendAttempts: 2,
  });
  expect(await deadLetters.replayAll({ reason: 'expired' })).toEqual({
    matched: 2,
    replayed: 1,
    notFound: 1,
    busy: 0,
    failed: 0,
  });
  expect(await index.count({})).toBe(0);
});

describe('deadLetter', () => {
  it('keeps the first entry of an id, in the index as in the queue', async () => {
    const { index, queue } = await indexOf([['once', 1_000, 'expired']]);
    await deadLetter(queue, 'once', sampleEntry(2_000, 'rejected'));
    expect((await queue.getJob('once'))?.data.deadLetteredAt).toBe(1_000);
    expect(await redis.zscore(index.keys.all, 'once')).toBe('1000');
    expect(await index.count({ reason: 'expired' })).toBe(1);
    expect(await index.count({ reason: 'rejected' })).toBe(0);
    expect(await redis.exists(`${index.keys.writingPrefix}once`)).toBe(0);
  });

  it('moves an id whose earlier write never added its job to its new reason', async () => {
    const { index, queue } = await indexOf([['again', 1_000, 'expired']]);
    await redis.del(queue.toKey('again'));
    await deadLetter(queue, 'again', sampleEntry(2_000, 'retries_exhausted'));
    expect(await index.count({ reason: 'expired' })).toBe(0);
    expect(await index.count({ reason: 'retries_exhausted' })).toBe(1);
    expect(await redis.zscore(index.keys.all, 'again')).toBe('2000');
  });
});
