import { randomUUID } from 'node:crypto';
import { startRedis, type TestRedis } from '@sms/testing';
import Redis from 'ioredis';
import { recordIdentity } from './record-identity';
import { ReferenceIndex } from './reference-index';
import { StatusStore } from './status-store';

let redis: TestRedis;
let connection: Redis;
beforeAll(async () => {
  redis = await startRedis();
  connection = new Redis(redis.url);
});
afterAll(async () => {
  connection?.disconnect();
  await redis?.stop();
});

const job = {
  to: '573001234567',
  text: 'hi',
  client: 'billing',
  acceptedAt: 1_000,
  priority: 'bulk',
  reference: 'order-1',
  sendAt: 5_000,
  encoding: 'UCS-2',
  segments: 2,
} as const;

describe('StatusStore', () => {
  const store = () =>
    new StatusStore(connection, { prefix: `s${randomUUID().slice(0, 8)}`, now: () => 9_000 });

  it('keeps the options of a message in its record, and its receiver masked', async () => {
    const statuses = store();
    await statuses.write('m1', { status: 'sending', attempts: 1, ...recordIdentity(job) });
    expect(await statuses.read('m1')).toEqual({
      id: 'm1',
      status: 'sending',
      attempts: 1,
      client: 'billing',
      to: '5730******67',
      createdAt: 1_000,
      updatedAt: 9_000,
      priority: 'bulk',
      reference: 'order-1',
      sendAt: 5_000,
      encoding: 'UCS-2',
      segments: 2,
    });
  });

  it('cancels a message without a record, or queued before any attempt, writing its identity', async () => {
    const statuses = store();
    expect(await statuses.cancel('fresh', recordIdentity(job))).toEqual({ canceled: true });
    expect(await statuses.read('fresh')).toMatchObject({
      status: 'canceled',
      attempts: 0,
      client: 'billing',
    });
    await statuses.write('held', { status: 'queued', attempts: 0, lastCode: 4030, ...recordIdentity(job) });
    expect(await statuses.cancel('held', recordIdentity(job))).toEqual({ canceled: true });
    expect(await statuses.isFinal('held')).toBe(true);
  });

  it.each([
    ['sending', 1],
    ['retrying', 1],
    ['queued', 2],
    ['accepted', 1],
    ['expired', 0],
    ['canceled', 0],
  ] as const)(
    'refuses to cancel a message %s after %i attempts, and leaves it as it was',
    async (status, attempts) => {
      const statuses = store();
      await statuses.write('m', { status, attempts, ...recordIdentity(job) });
      expect(await statuses.cancel('m', recordIdentity(job))).toEqual({ canceled: false, status });
      expect(await statuses.read('m')).toMatchObject({ status, attempts });
    },
  );
});

describe('StatusStore with a record holding a value it never writes', () => {
  const corrupted = async (field: string, value: string) => {
    const statuses = new StatusStore(connection, { prefix: `c${randomUUID().slice(0, 8)}` });
    await statuses.write('m', { status: 'queued', attempts: 0, ...recordIdentity(job) });
    await connection.hset(statuses.key('m'), field, value);
    return statuses;
  };
  const corruptError = (statuses: StatusStore, field: string, value: string) =>
    expect.objectContaining({
      name: 'CorruptRecordError',
      code: 'REDIS_CORRUPT_RECORD',
      key: statuses.key('m'),
      field,
      value,
    });

  it.each([
    ['status', 'lost_in_space'],
    ['priority', 'urgent'],
    ['encoding', 'ASCII'],
  ])('rejects reading a record whose %s is %s, naming its key', async (field, value) => {
    const statuses = await corrupted(field, value);
    await expect(statuses.read('m')).rejects.toEqual(corruptError(statuses, field, value));
  });

  it('rejects isFinal and cancel on an unknown status, and cancel writes nothing', async () => {
    const statuses = await corrupted('status', 'lost_in_space');
    await expect(statuses.isFinal('m')).rejects.toEqual(corruptError(statuses, 'status', 'lost_in_space'));
    await expect(statuses.cancel('m', recordIdentity(job))).rejects.toEqual(
      corruptError(statuses, 'status', 'lost_in_space'),
    );
    expect(await connection.hget(statuses.key('m'), 'status')).toBe('lost_in_space');
  });
});

describe('StatusStore.write', () => {
  const prefix = () => `w${randomUUID().slice(0, 8)}`;
  const identity = recordIdentity(job);

  it.each(['accepted', 'accepted_queued', 'dead_lettered', 'failed', 'expired', 'canceled'] as const)(
    'never rewrites the final status %s, nor adds to its history',
    async (final) => {
      const statuses = new StatusStore(connection, { prefix: prefix() });
      await statuses.write('m', { status: final, attempts: 1, ...identity });
      const outcome = await statuses.write(
        'm',
        { status: 'retrying', attempts: 2, lastCode: 5030 },
        {
          attempt: 2,
          code: 5030,
          outcome: 'retry',
          message: 'late',
          at: 1,
        },
      );
      expect(outcome).toBe('final');
      expect(await statuses.read('m')).toMatchObject({ status: final, attempts: 1 });
      expect(await statuses.write('m', { status: 'accepted', attempts: 2 })).toBe('final');
      expect(await statuses.read('m')).toMatchObject({ status: final, attempts: 1 });
      expect(await statuses.attempts('m')).toEqual([]);
    },
  );

  it('puts back a history Redis let go, and never over one it has', async () => {
    const statuses = new StatusStore(connection, { prefix: prefix() });
    const history = [
      { attempt: 1, code: 5030, outcome: 'retry', message: 'Temporal failure', at: 1 },
      { attempt: 2, code: 4031, outcome: 'rejected', message: 'Not routable', at: 2 },
    ];
    expect(await statuses.restoreAttempts('gone', history)).toBe(2);
    expect(await statuses.attempts('gone')).toEqual(history);
    expect(await connection.ttl(`${statuses.key('gone').replace(':status:', ':attempts:')}`)).toBeGreaterThan(
      0,
    );

    expect(await statuses.restoreAttempts('gone', [history[0]!])).toBe(0);
    expect(await statuses.restoreAttempts('none', [])).toBe(0);
    expect(await statuses.attempts('gone')).toEqual(history);
  });

  it('takes a message out of a final state only when asked to reopen it (a replay)', async () => {
    const statuses = new StatusStore(connection, { prefix: prefix() });
    await statuses.write('m', { status: 'dead_lettered', attempts: 1, ...identity });
    expect(await statuses.write('m', { status: 'queued', attempts: 1 }, undefined, { reopen: true })).toBe(
      'written',
    );
    expect(await statuses.read('m')).toMatchObject({ status: 'queued' });
  });

  it('writes for a job only while this worker holds its lock, or, when told, while nobody does', async () => {
    const p = prefix();
    const statuses = new StatusStore(connection, { prefix: p });
    const lockKey = `${p}:sms:m:lock`;
    const ours = { key: lockKey, token: 'ours' };
    await statuses.write('m', { status: 'sending', attempts: 1, ...identity });

    await connection.set(lockKey, 'ours');
    expect(await statuses.write('m', { status: 'retrying', attempts: 1 }, undefined, { lock: ours })).toBe(
      'written',
    );

    await connection.set(lockKey, 'another worker');
    expect(await statuses.write('m', { status: 'accepted', attempts: 1 }, undefined, { lock: ours })).toBe(
      'lost',
    );
    expect(
      await statuses.write('m', { status: 'accepted', attempts: 1 }, undefined, {
        lock: { ...ours, orUnheld: true },
      }),
    ).toBe('lost');
    expect(await statuses.read('m')).toMatchObject({ status: 'retrying' });

    await connection.del(lockKey);
    expect(await statuses.write('m', { status: 'accepted', attempts: 1 }, undefined, { lock: ours })).toBe(
      'lost',
    );
    expect(
      await statuses.write('m', { status: 'accepted', attempts: 1 }, undefined, {
        lock: { ...ours, orUnheld: true },
      }),
    ).toBe('written');
    expect(await statuses.read('m')).toMatchObject({ status: 'accepted' });
  });
});

describe('StatusStore.writeCounted', () => {
  const identity = recordIdentity(job);

  it('writes as write does, and bumps the counter and deletes the keys whatever the outcome', async () => {
    const p = `c${randomUUID().slice(0, 8)}`;
    const statuses = new StatusStore(connection, { prefix: p });
    const lockKey = `${p}:sms:m:lock`;
    const count = { key: `${p}:count`, field: 'ok', expiryMs: 60_000, deleteKeys: [`${p}:a`, `${p}:b`] };
    const history = { attempt: 1, code: 2020, outcome: 'success', message: 'ok', at: 1 };
    await connection.set(`${p}:a`, '1');
    await connection.set(lockKey, 'ours');

    const first = await statuses.writeCounted(
      'm',
      { status: 'accepted', attempts: 1, ...identity },
      history,
      { lock: { key: lockKey, token: 'ours' } },
      count,
    );
    expect(first).toEqual({ outcome: 'written', deleted: 1 });
    expect(await statuses.read('m')).toMatchObject({ status: 'accepted', attempts: 1 });
    expect(await statuses.attempts('m')).toEqual([history]);

    // A final status is never rewritten, nor a lock another worker holds written over.
    const again = await statuses.writeCounted('m', { status: 'retrying', attempts: 2 }, history, {}, count);
    expect(again).toEqual({ outcome: 'final', deleted: 0 });
    await connection.set(lockKey, 'another worker');
    const lost = await statuses.writeCounted(
      'm',
      { status: 'accepted', attempts: 2 },
      history,
      { lock: { key: lockKey, token: 'ours', orUnheld: true } },
      count,
    );
    expect(lost.outcome).toBe('lost');
    expect(await statuses.read('m')).toMatchObject({ status: 'accepted', attempts: 1 });
    expect(await statuses.attempts('m')).toHaveLength(1);

    expect(await connection.hget(`${p}:count`, 'ok')).toBe('3');
    expect(await connection.pttl(`${p}:count`)).toBeGreaterThan(50_000);
  });

  it('keeps the attempts in the record, oldest first, after those of a record written as a list before', async () => {
    const p = `h${randomUUID().slice(0, 8)}`;
    const statuses = new StatusStore(connection, { prefix: p, retentionSeconds: 600 });
    const attempt = (n: number) => ({ attempt: n, code: 5030, outcome: 'retry', message: `try ${n}`, at: n });
    await connection.rpush(`${p}:attempts:m`, JSON.stringify(attempt(1)));
    await statuses.write('m', { status: 'retrying', attempts: 2, ...identity }, attempt(2));
    await statuses.write('m', { status: 'retrying', attempts: 3 }, attempt(3));

    expect(await statuses.attempts('m')).toEqual([attempt(1), attempt(2), attempt(3)]);
    expect(await connection.ttl(`${p}:attempts:m`)).toBeGreaterThan(590);
    expect(await statuses.read('m')).not.toHaveProperty('history');
    // A record written now has no list key at all.
    await statuses.write('n', { status: 'retrying', attempts: 1, ...identity }, attempt(1));
    expect(await connection.exists(`${p}:attempts:n`)).toBe(0);
    expect(await statuses.attempts('n')).toEqual([attempt(1)]);

    // The archiver's read of a batch, in one script, finds the same, and nothing for a message without a record.
    const batch = await statuses.readWithHistory(['m', 'n', 'none']);
    expect(batch.get('m')).toMatchObject({
      record: { id: 'm', status: 'retrying', attempts: 3 },
      history: [attempt(1), attempt(2), attempt(3)],
    });
    expect(batch.get('n')).toMatchObject({ record: { id: 'n' }, history: [attempt(1)] });
    expect(batch.get('none')).toEqual({ record: undefined, history: [] });
  });
});

describe('ReferenceIndex', () => {
  const index = (maxPerReference = 3) =>
    new ReferenceIndex(connection, {
      prefix: `r${randomUUID().slice(0, 8)}`,
      retentionSeconds: 600,
      maxPerReference,
      now: () => 0,
    });

  it('lists the ids of a client and reference, latest accepted first, keeping the most recent few', async () => {
    const references = index();
    for (const [id, acceptedAt] of [
      ['a', 1],
      ['c', 3],
      ['b', 2],
      ['d', 4],
    ] as const) {
      await references.add('billing', 'ref', id, { acceptedAt, expiresAt: 60_000 });
    }
    await references.add('billing', 'other', 'x', { acceptedAt: 5 });
    await references.add('shop', 'ref', 'y', { acceptedAt: 5 });
    expect(await references.ids('billing', 'ref')).toEqual(['d', 'c', 'b']);
    expect(await references.ids('billing', 'nothing')).toEqual([]);
    expect(await references.accepted('billing', 'ref')).toEqual([
      { id: 'd', acceptedAt: 4 },
      { id: 'c', acceptedAt: 3 },
      { id: 'b', acceptedAt: 2 },
    ]);
  });

  it('keeps a reference for the retention after its longest-lived message expires, never less', async () => {
    const references = index();
    const key = references.key('billing', 'ref');
    await references.add('billing', 'ref', 'long', { acceptedAt: 0, expiresAt: 120_000 });
    expect(await connection.ttl(key)).toBe(720);
    await references.add('billing', 'ref', 'short', { acceptedAt: 1, expiresAt: 30_000 });
    expect(await connection.ttl(key)).toBe(720);
  });
});
