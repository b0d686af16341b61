import { randomUUID } from 'node:crypto';
import {
  createProducerConnection,
  type DeadLetterEntry,
  type DeadLetterQueue,
  deadLetter,
  waitForRedis,
} from '@sms/queue';
import { startRedis, type TestRedis } from '@sms/testing';
import type Redis from 'ioredis';
import { openDeadLetters } from '../test/open-dead-letters';
import type { DeadLetters } from './dead-letters';
import { ReplayJournal } from './replay-journal';

// Every test gets its own key prefix, so that listings see only that test's entries.
const NOW = Date.UTC(2024, 4, 1, 12);
const MINUTE = 60_000;
let server: TestRedis;
const connections: Redis[] = [];
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  for (const connection of connections) connection.disconnect();
  await server?.stop();
});

async function connect(): Promise<Redis> {
  const connection = createProducerConnection(server.target);
  connection.on('error', () => {});
  connections.push(connection);
  await waitForRedis(connection, { warn: () => {} });
  return connection;
}

async function gateway(prefix = `dl-${randomUUID().slice(0, 8)}`) {
  const redis = await connect();
  const { deadLetterQueue, smsQueue, statusStore, deadLetters, close } = openDeadLetters(redis, {
    prefix,
    sendAttempts: 5,
    now: () => NOW,
  });
  closers.push(close);
  const journal = new ReplayJournal(redis, prefix);

  /**
   * Dead-letters a message the way the worker does: status records with history, then the entry.
   * Kaarai's code is 4031 unless given; `code: null` leaves it out, as for a message never sent.
   */
  const putAside = async ({
    code = 4031,
    ...overrides
  }: Partial<Omit<DeadLetterEntry, 'code'>> & { code?: number | null } = {}): Promise<string> => {
    const id = randomUUID();
    const entry: DeadLetterEntry = {
      to: '573001234567',
      text: `text of ${id}`,
      client: 'billing',
      acceptedAt: NOW - 60 * MINUTE,
      expiresAt: NOW - 30 * MINUTE,
      reason: 'rejected',
      ...(code !== null && { code }),
      message: 'Not routable',
      attempts: 1,
      deadLetteredAt: NOW - 10 * MINUTE,
      ...overrides,
    };
    const first = { client: entry.client, to: '5730******67', createdAt: entry.acceptedAt };
    await statusStore.write(id, { status: 'sending', attempts: 1, ...first });
    await statusStore.write(
      id,
      {
        status: 'dead_lettered',
        attempts: entry.attempts,
        ...(entry.code !== undefined && { lastCode: entry.code }),
        lastMessage: entry.message,
      },
      {
        attempt: 1,
        ...(entry.code !== undefined && { code: entry.code }),
        outcome: entry.reason,
        message: entry.message,
        at: entry.deadLetteredAt,
      },
    );
    await deadLetter(deadLetterQueue, id, entry);
    return id;
  };

  return { prefix, redis, deadLetterQueue, smsQueue, statusStore, deadLetters, journal, putAside };
}

describe('list', () => {
  it('pages through every entry newest first, with masked receivers', async () => {
    const { deadLetters, putAside } = await gateway();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await putAside({ deadLetteredAt: NOW - i * MINUTE }));

    const first = await deadLetters.list({ limit: 3 });
    expect(first.total).toBe(7);
    expect(first.items[0]).toEqual({
      id: ids[0],
      reason: 'rejected',
      code: 4031,
      message: 'Not routable',
      attempts: 1,
      client: 'billing',
      to: '5730******67',
      deadLetteredAt: new Date(NOW).toISOString(),
    });
    const second = await deadLetters.list({ limit: 3, cursor: first.nextCursor });
    const third = await deadLetters.list({ limit: 3, cursor: second.nextCursor });
    expect(third.nextCursor).toBeUndefined();
    expect([...first.items, ...second.items, ...third.items].map((item) => item.id)).toEqual(ids);
  });

  it('neither repeats nor skips entries when the queue changes between pages', async () => {
    const { deadLetters, putAside } = await gateway();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await putAside({ deadLetteredAt: NOW - i * MINUTE }));
    const first = await deadLetters.list({ limit: 2 });
    await putAside({ deadLetteredAt: NOW + MINUTE });
    await deadLetters.delete(ids[0]!);
    const second = await deadLetters.list({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((item) => item.id)).toEqual([ids[2], ids[3]]);
  });

  it('filters by reason and by the time of dead-lettering', async () => {
    const { deadLetters, putAside } = await gateway();
    const old = await putAside({ deadLetteredAt: NOW - 3 * 60 * MINUTE });
    const expired = await putAside({ reason: 'expired', deadLetteredAt: NOW - 60 * MINUTE });
    const exhausted = await putAside({ reason: 'retries_exhausted', code: 5030, deadLetteredAt: NOW });

    const ids = async (filter: Parameters<DeadLetters['list']>[0]) =>
      (await deadLetters.list(filter)).items.map((item) => item.id);
    expect(await ids({ reason: 'expired' })).toEqual([expired]);
    expect(await ids({ since: NOW - 2 * 60 * MINUTE })).toEqual([exhausted, expired]);
    expect(await ids({ until: NOW - 60 * MINUTE })).toEqual([old]);
    expect(await ids({ since: NOW - 60 * MINUTE, until: NOW })).toEqual([expired]);
    expect(await deadLetters.count({ reason: 'rejected' })).toBe(1);
  });

  it('leaves out an entry whose reason the gateway never writes, and still shows it by id', async () => {
    const { prefix, redis, deadLetterQueue, deadLetters, putAside } = await gateway();
    const kept = await putAside();
    const corrupt = await putAside();
    const jobKey = deadLetterQueue.toKey(corrupt);
    const data = JSON.parse((await redis.hget(jobKey, 'data')) ?? '{}');
    await redis.hset(jobKey, 'data', JSON.stringify({ ...data, reason: 'misplaced' }));
    const interrupted = JSON.stringify({ ...data, reason: 'misplaced' });
    await redis.hset(`${prefix}:dead-letters:replaying`, 'interrupted-corrupt', interrupted);

    const listed = await deadLetters.list();
    expect(listed.items.map((item) => item.id)).toEqual([kept]);
    expect(listed.total).toBe(1);
    expect(await deadLetters.count()).toBe(1);
    expect(await deadLetters.show(corrupt)).toMatchObject({ id: corrupt, reason: 'misplaced' });
  });
});

describe('show', () => {
  it('gives the full payload, every attempt and the status record', async () => {
    const { deadLetters, putAside } = await gateway();
    const id = await putAside({ from: 'ACME', requestId: 'req-7' });
    const details = await deadLetters.show(id);
    expect(details).toMatchObject({
      id,
      reason: 'rejected',
      code: 4031,
      message: 'Not routable',
      attempts: 1,
      payload: {
        to: '573001234567',
        from: 'ACME',
        text: `text of ${id}`,
        client: 'billing',
        acceptedAt: new Date(NOW - 60 * MINUTE).toISOString(),
        expiresAt: new Date(NOW - 30 * MINUTE).toISOString(),
        requestId: 'req-7',
      },
      history: [
        {
          attempt: 1,
          code: 4031,
          outcome: 'rejected',
          message: 'Not routable',
          at: new Date(NOW - 10 * MINUTE).toISOString(),
        },
      ],
      status: { status: 'dead_lettered', attempts: 1, lastCode: 4031 },
    });
  });

  it('knows nothing of a message that is not in the queue', async () => {
    const { deadLetters } = await gateway();
    expect(await deadLetters.show(randomUUID())).toBeUndefined();
  });
});

describe('replay', () => {
  it('puts the message back on the send queue under its id, queued, with its history kept', async () => {
    const { deadLetters, putAside, smsQueue, deadLetterQueue, statusStore } = await gateway();
    const id = await putAside({ reason: 'retries_exhausted', code: 5030, attempts: 3, message: 'busy' });

    const result = await deadLetters.replay(id);
    expect(result).toEqual({ outcome: 'replayed', id, expiresAt: new Date(NOW + 30 * MINUTE).toISOString() });

    const job = await smsQueue.getJob(id);
    expect(job?.name).toBe('send');
    expect(job?.opts.attempts).toBe(5);
    expect(job?.data).toEqual({
      to: '573001234567',
      text: `text of ${id}`,
      client: 'billing',
      acceptedAt: NOW - 60 * MINUTE,
      expiresAt: NOW + 30 * MINUTE,
    });
    expect(await deadLetterQueue.getJob(id)).toBeUndefined();
    expect(await statusStore.read(id)).toMatchObject({ status: 'queued', attempts: 3, lastCode: 5030 });
    expect((await statusStore.attempts(id)).map((a) => a.outcome)).toEqual(['retries_exhausted', 'replayed']);
  });

  it('gives an expired message the validity asked for, counted from the replay', async () => {
    const { deadLetters, putAside, smsQueue } = await gateway();
    const id = await putAside({ reason: 'expired', code: null, attempts: 0 });
    await deadLetters.replay(id, { validFor: 120 });
    expect((await smsQueue.getJob(id))?.data.expiresAt).toBe(NOW + 120_000);
  });

  it('answers not_found the second time', async () => {
    const { deadLetters, putAside } = await gateway();
    const id = await putAside();
    expect((await deadLetters.replay(id)).outcome).toBe('replayed');
    expect(await deadLetters.replay(id)).toEqual({ outcome: 'not_found', id });
  });

  it('re-enqueues exactly once when two operators replay the same messages at the same time', async () => {
    const one = await gateway();
    const other = await gateway(one.prefix);
    const ids = await Promise.all(Array.from({ length: 20 }, () => one.putAside()));

    const results = await Promise.all(
      ids.flatMap((id) => [one.deadLetters.replay(id), other.deadLetters.replay(id)]),
    );
    for (const id of ids) {
      const outcomes = results.filter((r) => r.id === id).map((r) => r.outcome);
      expect(outcomes.sort()).toEqual(['not_found', 'replayed']);
      const history = await one.statusStore.attempts(id);
      expect(history.filter((a) => a.outcome === 'replayed')).toHaveLength(1);
    }
    expect(await one.smsQueue.getJobCountByTypes('waiting')).toBe(ids.length);
    expect(await one.deadLetterQueue.getJobCountByTypes('waiting')).toBe(0);
  });

  it('leaves a message alone while the send job that dead-lettered it is still finishing', async () => {
    const { deadLetters, putAside, smsQueue, deadLetterQueue } = await gateway();
    const id = await putAside();
    await smsQueue.add('send', (await deadLetterQueue.getJob(id))!.data, { jobId: id });
    expect(await deadLetters.replay(id)).toEqual({ outcome: 'busy', id });
    expect(await deadLetterQueue.getJob(id)).toBeDefined();
  });

  it('lets a replayed message refused again be dead-lettered anew', async () => {
    const { deadLetters, putAside, deadLetterQueue } = await gateway();
    const id = await putAside();
    await deadLetters.replay(id);
    expect(await deadLetters.show(id)).toBeUndefined();
    await putAsideAgain(deadLetterQueue, id);
    expect((await deadLetterQueue.getJob(id))?.data.message).toBe('Not routable, again');
  });

  it('finishes a replay that stopped after taking the entry out of the queue', async () => {
    const { deadLetters, putAside, deadLetterQueue, smsQueue, journal, statusStore } = await gateway();
    const id = await putAside();
    // The state a replay leaves when its process dies between its first steps.
    await journal.save(id, (await deadLetterQueue.getJob(id))!.data);
    await deadLetterQueue.remove(id);

    expect((await deadLetters.list()).items).toEqual([
      expect.objectContaining({ id, replayInterrupted: true }),
    ]);
    expect(await deadLetters.show(id)).toMatchObject({ id, replayInterrupted: true });
    expect((await deadLetters.replay(id)).outcome).toBe('replayed');
    expect(await smsQueue.getJob(id)).toBeDefined();
    expect(await statusStore.read(id)).toMatchObject({ status: 'queued' });
    expect((await deadLetters.list()).total).toBe(0);
  });

  it('does not send again a message whose interrupted replay had already delivered it', async () => {
    const { deadLetters, putAside, deadLetterQueue, smsQueue, journal, statusStore } = await gateway();
    const id = await putAside();
    await journal.save(id, (await deadLetterQueue.getJob(id))!.data);
    await deadLetterQueue.remove(id);
    // The replay wrote `queued` and added the job, the worker delivered it, but the journal copy
    // was never deleted.
    await statusStore.write(id, { status: 'queued', attempts: 1 }, undefined, { reopen: true });
    await statusStore.write(id, { status: 'accepted', attempts: 1, lastCode: 2020 });

    expect(await deadLetters.replay(id)).toEqual({ outcome: 'replayed', id });
    expect(await smsQueue.getJob(id)).toBeUndefined();
    expect(await statusStore.read(id)).toMatchObject({ status: 'accepted' });
    expect(await deadLetters.replay(id)).toEqual({ outcome: 'not_found', id });
  });
});

describe('replayAll', () => {
  it('replays every entry the filter selects, and only those', async () => {
    const { deadLetters, putAside, smsQueue } = await gateway();
    const expired = await Promise.all([1, 2, 3].map(() => putAside({ reason: 'expired' })));
    const rejected = await putAside({ reason: 'rejected' });

    expect(await deadLetters.replayAll({ reason: 'expired' }, { validFor: 60 })).toEqual({
      matched: 3,
      replayed: 3,
      notFound: 0,
      busy: 0,
      failed: 0,
    });
    for (const id of expired) expect((await smsQueue.getJob(id))?.data.expiresAt).toBe(NOW + 60_000);
    expect(await smsQueue.getJob(rejected)).toBeUndefined();
    expect((await deadLetters.list()).items.map((item) => item.id)).toEqual([rejected]);
    expect(await deadLetters.replayAll({ reason: 'expired' })).toMatchObject({ matched: 0, replayed: 0 });
  });
});

describe('delete', () => {
  it('removes the entry and leaves the status record as it is', async () => {
    const { deadLetters, putAside, deadLetterQueue, statusStore } = await gateway();
    const id = await putAside();
    const before = await statusStore.read(id);
    expect(await deadLetters.delete(id)).toBe(true);
    expect(await deadLetterQueue.getJob(id)).toBeUndefined();
    expect(await statusStore.read(id)).toEqual(before);
    expect(await deadLetters.delete(id)).toBe(false);
    expect(await deadLetters.replay(id)).toEqual({ outcome: 'not_found', id });
  });
});

async function putAsideAgain(queue: DeadLetterQueue, id: string): Promise<void> {
  await deadLetter(queue, id, {
    to: '573001234567',
    text: 'again',
    client: 'billing',
    acceptedAt: NOW,
    reason: 'rejected',
    code: 4031,
    message: 'Not routable, again',
    attempts: 1,
    deadLetteredAt: NOW + MINUTE,
  });
}
