import { createArchivePool } from '@sms/archive';
import { redisKeyPrefix } from '@sms/config';
import { ARCHIVE_GROUP, archiveStreamKeys } from '@sms/queue';
import {
  type ArchiverProcess,
  finalStatuses,
  metricValue,
  postAtRate,
  type Stack,
  startArchiverProcess,
  startPostgres,
  startStack,
  type TestPostgres,
  waitFor,
} from '@sms/testing';
import Redis from 'ioredis';

// Fault: one of two archiver processes is SIGKILLed three times in the middle of a batch (seen
//   holding pending entries in the consumer group: read, not yet released), and started again;
//   the other runs throughout and takes over what the dead one left pending after
//   ARCHIVE_CLAIM_IDLE_MS.
// Load: 100 messages a second through the API for the whole time, batches of 10.
// Invariant: every message accepted reaches a final status, and is in PostgreSQL exactly once
//   (counted by id), none missing; the archive stream drains to 0 and nothing stays pending.
const KILLS = 3;
const ARCHIVER_ENV = { ARCHIVE_BATCH_SIZE: '10', ARCHIVE_CLAIM_IDLE_MS: '1000' };

let stack: Stack;
let postgres: TestPostgres;
let pool: ReturnType<typeof createArchivePool>;
let redis: Redis;

beforeAll(async () => {
  [stack, postgres] = await Promise.all([startStack({}), startPostgres()]);
  pool = stack.onStop(createArchivePool(postgres.url), (it) => it.end());
  redis = stack.onStop(new Redis(stack.redis.url), (it) => it.disconnect());
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  await postgres?.stop();
});

async function startArchiver(): Promise<ArchiverProcess> {
  const archiver = await startArchiverProcess({
    redisUrl: stack.redis.url,
    prefix: stack.prefix,
    databaseUrl: postgres.url,
    env: ARCHIVER_ENV,
  });
  stack.onStop(archiver, (it) => it.stop());
  await archiver.ready();
  return archiver;
}

/** Entries the archiver process `pid` has taken and not finished (its consumer is named after its pid). */
async function pendingOf(stream: string, pid: number): Promise<number> {
  const consumers = (await redis.xinfo('CONSUMERS', stream, ARCHIVE_GROUP)) as unknown[][];
  const fields = consumers.map((list) => new Map(list.flatMap((v, i) => (i % 2 ? [] : [[v, list[i + 1]]]))));
  const ours = fields.find((consumer) => String(consumer.get('name')).includes(`-${pid}-`));
  return Number(ours?.get('pending') ?? 0);
}

it('archives every final message exactly once though an archiver dies mid-batch, again and again', async () => {
  const { stream } = archiveStreamKeys(redisKeyPrefix(stack.prefix));
  const steady = await startArchiver();
  let victim = await startArchiver();
  const load = postAtRate(stack.api, 'archiver killed', { perSecond: 100, keyedEvery: 1_000 });
  const leftPending: number[] = [];
  try {
    for (let kill = 1; kill <= KILLS; kill++) {
      const { pid } = victim;
      await waitFor(async () => (await pendingOf(stream, pid)) > 0, {
        timeoutMs: 30_000,
        intervalMs: 2,
        description: `archiver ${pid} in the middle of a batch`,
      });
      await victim.kill();
      leftPending.push(await pendingOf(stream, pid));
      victim = await startArchiver();
    }
  } finally {
    await load.stop();
  }

  const ids = load.answers.filter((answer) => answer.status === 202).map((answer) => answer.id!);
  expect(ids.length).toBeGreaterThan(100);
  await finalStatuses(stack.api, ids, 60_000);
  const counts = await waitFor(
    async () => {
      const { rows } = await pool.query<{ id: string; rows: number }>(
        'SELECT id::text, count(*)::int AS rows FROM sms_messages WHERE id = ANY($1::uuid[]) GROUP BY id',
        [ids],
      );
      return rows.length === ids.length && (await redis.xlen(stream)) === 0 && rows;
    },
    { timeoutMs: 60_000, description: 'every message archived and the stream drained' },
  );
  console.log(
    `archiver killed: ${ids.length} messages; entries left pending by each kill: ${leftPending.join(', ')}; ` +
      `written by the archiver that ran throughout: ${metricValue(await steady.metrics(), 'sms_archived_messages_total', { outcome: 'written' })}`,
  );
  expect(leftPending.filter((pending) => pending === 0)).toEqual([]);
  expect(counts.filter((row) => row.rows !== 1)).toEqual([]);
  const [pending] = (await redis.xpending(stream, ARCHIVE_GROUP)) as [number];
  expect(pending).toBe(0);
}, 180_000);
