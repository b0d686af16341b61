import { spawnSync } from 'node:child_process';
import { setPriority } from 'node:os';
import {
  createDeadLetterQueue,
  createProducerConnection,
  createSmsQueue,
  type DeadLetterEntry,
  type DeadLetterQueue,
  deadLetter,
  readQueueState,
  type SmsQueue,
  waitForRedis,
} from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import { infoFields, mapConcurrently, type RedisServer, startRedisServer } from '@sms/testing';
import type Redis from 'ioredis';
import { compareNewestFirst, encodeCursor } from '../src/dead-letter-cursor';
import { DeadLetterIndex } from '../src/dead-letter-index';
import { DeadLetters } from '../src/dead-letters';
import { sweepExpiredDeadLetters } from '../src/sweep-expired-dead-letters';

// Load: 100,000 dead letters of about 1 kB each, as a day of 4031 refusals leaves them, written
// by `deadLetter` itself (its index write, then BullMQ's add), three to a millisecond so that
// pages cut through ties. Then the index is built as after an upgrade, pages are read (the
// first, one in the middle by cursor, a filtered one), counted, and half the entries are swept
// as past their retention. Invariant: Redis' own SLOWLOG records no command of 5 ms or more, so
// no listing holds Redis long whatever the size of the queue.
const ENTRIES = 100_000;
const SLOW_MICROSECONDS = 5_000;
const START = Date.UTC(2024, 4, 1);
const REASONS = ['rejected', 'rejected', 'rejected', 'expired', 'retries_exhausted'] as const;

// Even under the real-time scheduler, a shared virtual machine pauses Redis now and then (the
// hypervisor's steal): once in a run of this suite an HGET of 1 kB was logged at 5.9 ms. Such a
// pause does not come back at the same place, while a command that really grows with the queue
// is slow on every try: so a failure is tried once more, on a fresh Redis state, before it
// counts, and jest logs the first failure.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

let server: RedisServer;
let redis: Redis;
let deadLetterQueue: DeadLetterQueue;
let smsQueue: SmsQueue;
const prefix = '{sms}';

beforeAll(async () => {
  server = await startRedisServer();
  redis = createProducerConnection(server.target);
  redis.on('error', () => {});
  await waitForRedis(redis, { warn: () => {} });
  // The SLOWLOG times a command by the wall clock, so a Redis that the scheduler pauses for other
  // work on a busy machine logs pauses longer than any command here takes (a 0.3 ms script was
  // seen to take 6 to 32 ms beside a benchmark). The test's own Redis therefore runs under the
  // real-time scheduler where the test may set it (as root), else at a higher priority, so that
  // the measure is Redis' own work.
  const pid = Number(infoFields(await redis.info('server')).process_id);
  if (spawnSync('chrt', ['--fifo', '--pid', '1', String(pid)]).status !== 0) {
    try {
      setPriority(pid, -10);
    } catch {
      // Not permitted: the measure includes the machine's other load.
    }
  }
  deadLetterQueue = createDeadLetterQueue({ connection: redis, prefix });
  smsQueue = createSmsQueue({ connection: redis, prefix });
});
afterAll(async () => {
  await Promise.all([deadLetterQueue?.close(), smsQueue?.close()]);
  redis?.disconnect();
  await server?.stop();
});

const idOf = (i: number) => `m-${String(i).padStart(6, '0')}`;
const timeOf = (i: number) => START + Math.floor(i / 3);
const reasonOf = (i: number) => REASONS[i % REASONS.length]!;

function entryOf(i: number): DeadLetterEntry {
  return {
    to: '573001234567',
    text: `Your verification code is ${i}. ${'Do not share it with anyone. '.repeat(30)}`,
    client: 'billing',
    acceptedAt: timeOf(i) - 60_000,
    expiresAt: timeOf(i) + 3_600_000,
    requestId: `req-${i}`,
    reason: reasonOf(i),
    ...(reasonOf(i) !== 'expired' && { code: 4031 }),
    message: 'Number not routable',
    attempts: 1,
    deadLetteredAt: timeOf(i),
  };
}

/** Each command the SLOWLOG holds, as its duration in µs and its first words. */
async function slowCommands(): Promise<string[]> {
  const log = (await redis.call('SLOWLOG', 'GET', '128')) as Array<[number, number, number, string[]]>;
  return log.map(([, , micros, words]) => `${micros} µs: ${words.slice(0, 3).join(' ')}`);
}

it(`reads any page of ${ENTRIES.toLocaleString('en')} dead letters without a Redis command of 5 ms`, async () => {
  // The test's own Redis: a retry starts from an empty one.
  await redis.flushall();
  const seeding = Date.now();
  await mapConcurrently(
    Array.from({ length: ENTRIES }, (_, i) => i),
    256,
    (i) => deadLetter(deadLetterQueue, idOf(i), entryOf(i)),
  );
  const seeded = Date.now() - seeding;
  expect(await deadLetterQueue.count()).toBe(ENTRIES);

  await redis.config('SET', 'slowlog-log-slower-than', String(SLOW_MICROSECONDS));
  await redis.call('SLOWLOG', 'RESET');
  const deadLetters = new DeadLetters({
    deadLetterQueue,
    smsQueue,
    statusStore: new StatusStore(redis, { prefix }),
    redis,
    prefix,
    sendAttempts: 3,
  });
  const index = new DeadLetterIndex(deadLetterQueue, redis, prefix);
  const building = Date.now();
  expect(await index.ensureBuilt()).toBe(true);
  const built = Date.now() - building;

  const newestFirst = Array.from({ length: ENTRIES }, (_, i) => ({ id: idOf(i), deadLetteredAt: timeOf(i) }))
    .sort(compareNewestFirst)
    .map((row) => row.id);
  const reading = Date.now();
  const first = await deadLetters.list({ limit: 50 });
  expect(first.total).toBe(ENTRIES);
  expect(first.items.map((item) => item.id)).toEqual(newestFirst.slice(0, 50));
  expect(first.items[0]).toMatchObject({ reason: reasonOf(ENTRIES - 1), to: '5730******67' });

  // A cursor on an entry that shares its millisecond with others, half-way down the queue.
  const middle = ENTRIES / 2 + 1;
  const cursor = encodeCursor({ deadLetteredAt: timeOf(middle), id: idOf(middle) });
  const page = await deadLetters.list({ limit: 500, cursor });
  const at = newestFirst.indexOf(idOf(middle));
  expect(page.items.map((item) => item.id)).toEqual(newestFirst.slice(at + 1, at + 501));
  const next = await deadLetters.list({ limit: 500, cursor: page.nextCursor });
  expect(next.items[0]!.id).toBe(newestFirst[at + 501]);

  const since = timeOf(30_000);
  const until = timeOf(60_000);
  const window = (i: number) => timeOf(i) >= since && timeOf(i) < until;
  const expired = newestFirst.filter((id) => {
    const i = Number(id.slice(2));
    return reasonOf(i) === 'expired' && window(i);
  });
  const filtered = await deadLetters.list({ reason: 'expired', since, until, limit: 100 });
  expect(filtered.total).toBe(expired.length);
  expect(filtered.items.map((item) => item.id)).toEqual(expired.slice(0, 100));
  expect(await deadLetters.count({ reason: 'expired', since, until })).toBe(expired.length);
  expect((await readQueueState(deadLetterQueue, redis, timeOf(0) + 10_000)).oldestDeadLetterAgeSeconds).toBe(
    10,
  );
  const read = Date.now() - reading;

  // About half the entries past their retention.
  const cutoff = timeOf(ENTRIES / 2);
  const expiredCount = Array.from({ length: ENTRIES }, (_, i) => timeOf(i)).filter((t) => t < cutoff).length;
  const sweeping = Date.now();
  const retentionSeconds = 60;
  const removed = await sweepExpiredDeadLetters(
    { deadLetterQueue, redis, prefix },
    { retentionSeconds, now: () => cutoff + retentionSeconds * 1000 },
  );
  const swept = Date.now() - sweeping;
  expect(removed).toBe(expiredCount);
  expect(await deadLetterQueue.count()).toBe(ENTRIES - expiredCount);
  expect(await deadLetters.count()).toBe(ENTRIES - expiredCount);
  expect((await deadLetters.list({ until: cutoff + 1 })).items.map((item) => item.id)).toEqual(
    newestFirst.filter((id) => timeOf(Number(id.slice(2))) === cutoff),
  );

  expect(await slowCommands()).toEqual([]);
  console.log({ seeded, built, read, swept });
  // Seeding 100,000 entries takes 20-30 s on an idle 2-core machine, over a minute on a busy one.
}, 180_000);
