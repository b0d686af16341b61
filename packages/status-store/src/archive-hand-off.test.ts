import { randomUUID } from 'node:crypto';
import { archiveStreamKeys } from '@sms/queue';
import { type ConnectedRedis, connectTestRedis, infoFields } from '@sms/testing';
import type Redis from 'ioredis';
import { recordIdentity } from './record-identity';
import { StatusStore } from './status-store';

// The status-write scripts hand final messages to the archiver through a stream that only the
// archiver creates, bounded by a limit it sets.
let connected: ConnectedRedis;
let connection: Redis;
beforeAll(async () => {
  connected = await connectTestRedis();
  connection = connected.redis;
});
afterAll(() => connected?.stop());

const identity = recordIdentity({ to: '573001234567', text: 'hi', client: 'billing', acceptedAt: 1_000 });
const attempt = { attempt: 1, code: 2020, outcome: 'success', message: 'ok', at: 1 };

/** A store under a new prefix, and its archive stream created as the archiver does, with `limit`. */
async function storeWithStream(limit = 100) {
  const prefix = `{a${randomUUID().slice(0, 8)}}`;
  const keys = archiveStreamKeys(prefix);
  await connection.xgroup('CREATE', keys.stream, 'archivers', '0', 'MKSTREAM');
  await connection.set(keys.limit, limit);
  return { statuses: new StatusStore(connection, { prefix, retentionSeconds: 600 }), keys };
}

const streamIds = async (stream: string) =>
  (await connection.xrange(stream, '-', '+')).map(([, fields]) => fields);

it('adds the id of a message written final, by write, writeCounted and cancel, once each', async () => {
  const { statuses, keys } = await storeWithStream();
  await statuses.write('sent', { status: 'accepted', attempts: 1, ...identity }, attempt);
  const count = { key: `${keys.stream}:count`, field: 'n', expiryMs: 60_000, deleteKeys: [] };
  await statuses.writeCounted('given-up', { status: 'failed', attempts: 3, ...identity }, attempt, {}, count);
  expect(await statuses.cancel('canceled', identity)).toEqual({ canceled: true });
  expect(await streamIds(keys.stream)).toEqual([
    ['i', 'sent'],
    ['i', 'given-up'],
    ['i', 'canceled'],
  ]);
});

it('adds nothing for a status that is not final, nor for a final one the script refuses to rewrite', async () => {
  const { statuses, keys } = await storeWithStream();
  await statuses.write('m', { status: 'sending', attempts: 1, ...identity });
  await statuses.write('m', { status: 'retrying', attempts: 1 }, attempt);
  expect(await streamIds(keys.stream)).toEqual([]);
  await statuses.write('m', { status: 'accepted', attempts: 2 }, attempt);
  expect(await statuses.write('m', { status: 'failed', attempts: 3 }, attempt)).toBe('final');
  expect(await statuses.cancel('m', identity)).toEqual({ canceled: false, status: 'accepted' });
  expect(await streamIds(keys.stream)).toEqual([['i', 'm']]);
});

it('adds a replayed message again when it becomes final again', async () => {
  const { statuses, keys } = await storeWithStream();
  await statuses.write('m', { status: 'dead_lettered', attempts: 1, ...identity }, attempt);
  await statuses.write('m', { status: 'queued', attempts: 1 }, undefined, { reopen: true });
  await statuses.write('m', { status: 'accepted', attempts: 2 }, attempt);
  expect(await streamIds(keys.stream)).toEqual([
    ['i', 'm'],
    ['i', 'm'],
  ]);
});

it('without the stream (no archiver), adds nothing and creates no key of the archive', async () => {
  const prefix = `{n${randomUUID().slice(0, 8)}}`;
  const statuses = new StatusStore(connection, { prefix });
  await statuses.write('m', { status: 'accepted', attempts: 1, ...identity }, attempt);
  expect(await statuses.cancel('c', identity)).toEqual({ canceled: true });
  const { stream, limit, overflow } = archiveStreamKeys(prefix);
  expect(await connection.exists(stream, limit, overflow)).toBe(0);
  expect(await statuses.read('m')).toMatchObject({ status: 'accepted' });
});

it('counts a final message the full stream refuses, and keeps its record for the full retention', async () => {
  const { statuses, keys } = await storeWithStream(2);
  for (const id of ['a', 'b', 'c', 'd']) {
    await statuses.write(id, { status: 'accepted', attempts: 1, ...identity }, attempt);
  }
  expect(await streamIds(keys.stream)).toEqual([
    ['i', 'a'],
    ['i', 'b'],
  ]);
  expect(await connection.get(keys.overflow)).toBe('2');
  expect(await statuses.read('d')).toMatchObject({ status: 'accepted' });
  expect(await connection.ttl(statuses.key('d'))).toBeGreaterThan(590);
});

it('still costs one script call per write, the stream commands inside it', async () => {
  const { statuses } = await storeWithStream();
  await statuses.write('warm', { status: 'sending', attempts: 1, ...identity });
  await connection.config('RESETSTAT');
  await statuses.write('m', { status: 'accepted', attempts: 1, ...identity }, attempt);
  const stats = infoFields(await connection.info('commandstats'));
  const calls = (command: string) => Number(/calls=(\d+)/.exec(stats[`cmdstat_${command}`] ?? '')?.[1] ?? 0);
  expect([calls('evalsha'), calls('eval'), calls('multi'), calls('xadd')]).toEqual([1, 0, 0, 1]);
});
