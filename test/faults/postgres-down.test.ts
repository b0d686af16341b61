import { setTimeout as delay } from 'node:timers/promises';
import { createArchivePool } from '@sms/archive';
import { redisKeyPrefix } from '@sms/config';
import { StatusStore } from '@sms/status-store';
import {
  type ArchiverProcess,
  finalStatuses,
  isFinal,
  metricValue,
  type PostLoad,
  postAll,
  postAtRate,
  type Stack,
  startArchiverProcess,
  startPostgres,
  startStack,
  type TestPostgres,
  uniqueTexts,
  waitFor,
} from '@sms/testing';
import Redis from 'ioredis';

// Fault: the archive's PostgreSQL stops (`pg_ctl stop -m fast`: connections closed, new ones
//   refused) for a minute, then starts again on the same data. Two archiver processes run
//   throughout; the API has DATABASE_URL.
// Load: 50 messages a second through the API, from before the outage until archiving has
//   resumed after it.
// Invariant: sending does not notice: every request is answered 202, and the messages posted
//   during the outage are delivered and final during it, at 80 % of the posting rate or more.
//   The archive waits: the backlog (sms_archive_backlog_messages) holds every message that
//   became final during the outage, the archivers report sms_archive_postgres_up 0, and the API
//   answers a message Redis holds (200) and one only PostgreSQL had 503 with code 5031 and
//   Retry-After. Once PostgreSQL is back the backlog drains to 0 within a minute, every message
//   is in PostgreSQL exactly once (no more, no other), its Redis record cut to the hot window,
//   and Kaarai received each exactly once.
const RATE = 50;
const OUTAGE_MS = 60_000;
const HOT_SECONDS = 600;
const DRAIN_DEADLINE_MS = 60_000;

let stack: Stack;
let postgres: TestPostgres;
let pool: ReturnType<typeof createArchivePool>;
let redis: Redis;
let statusStore: StatusStore;
let archivers: ArchiverProcess[];

beforeAll(async () => {
  // The API reads through to PostgreSQL, so PostgreSQL comes first.
  postgres = await startPostgres();
  stack = await startStack({ apiEnv: { DATABASE_URL: postgres.url } });
  pool = stack.onStop(createArchivePool(postgres.url), (it) => it.end());
  redis = stack.onStop(new Redis(stack.redis.url), (it) => it.disconnect());
  statusStore = new StatusStore(redis, { prefix: redisKeyPrefix(stack.prefix) });
  archivers = await Promise.all(
    [1, 2].map(async () => {
      const archiver = await startArchiverProcess({
        redisUrl: stack.redis.url,
        prefix: stack.prefix,
        databaseUrl: postgres.url,
        env: { STATUS_HOT_SECONDS: String(HOT_SECONDS) },
      });
      stack.onStop(archiver, (it) => it.stop());
      await archiver.ready();
      return archiver;
    }),
  );
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  await postgres?.stop();
});

const backlog = async () =>
  metricValue(await (await fetch(`${stack.api.adminUrl}/metrics`)).text(), 'sms_archive_backlog_messages');
const postgresUp = async (archiver: ArchiverProcess) =>
  metricValue(await archiver.metrics(), 'sms_archive_postgres_up');
const archivedRows = async () =>
  (await pool.query<{ rows: number }>('SELECT count(*)::int AS rows FROM sms_messages')).rows[0]!.rows;

/** How many of `ids` Redis records as final now. */
async function finalInRedis(ids: readonly string[]): Promise<number> {
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hget(statusStore.key(id), 'status');
  const replies = (await pipeline.exec()) ?? [];
  return replies.filter(([, status]) => typeof status === 'string' && isFinal(status)).length;
}

/**
 * A message past its hot window: delivered, archived by the archivers, then let go by Redis as
 * the window's end does. Only PostgreSQL can answer for it.
 */
async function messageOnlyInPostgres(): Promise<{ id: string; text: string }> {
  const [text] = uniqueTexts('postgres down, archived', 1) as [string];
  const [id] = (await postAll(stack.api, [text])) as [string];
  await finalStatuses(stack.api, [id], 30_000);
  await waitFor(
    async () => (await pool.query('SELECT 1 FROM sms_messages WHERE id = $1', [id])).rowCount === 1,
    { timeoutMs: 30_000, description: 'the first message archived' },
  );
  await redis.del(statusStore.key(id), statusStore.attemptsKey(id));
  return { id, text };
}

/** What the test saw of the outage, while the load ran. */
interface Outage {
  readonly stoppedAt: number;
  readonly restartedAt: number;
  /** The messages posted (and answered 202) while PostgreSQL was down. */
  readonly posted: readonly string[];
  /** How many of them Redis recorded as final when PostgreSQL started again. */
  readonly finalAtRestart: number;
  /** sms_archive_backlog_messages just after the stop and just before the start. */
  readonly backlog: readonly [number, number];
  /** GET /v1/sms/:id while PostgreSQL was down, of a message in Redis and of one only in PostgreSQL. */
  readonly inRedis: number;
  readonly onlyInPostgres: {
    readonly status: number;
    readonly code: number | undefined;
    readonly retryAfter: string | null;
  };
}

/** Stops PostgreSQL for `OUTAGE_MS` under `load`, and resolves once the archivers write again. */
async function outageUnder(load: PostLoad, archivedId: string): Promise<Outage> {
  const { api } = stack;
  const accepted = (since = 0) =>
    load.answers
      .filter((answer) => answer.status === 202 && answer.startedAt >= since)
      .map((answer) => answer.id!);
  // Archiving works before the fault: some of the load is in PostgreSQL already.
  await waitFor(async () => (await archivedRows()) >= 100, {
    timeoutMs: 30_000,
    description: '100 messages archived before the outage',
  });
  await postgres.stopServer();
  const stoppedAt = Date.now();
  const backlogAtStop = (await backlog()) ?? Number.NaN;
  await waitFor(async () => (await Promise.all(archivers.map(postgresUp))).every((up) => up === 0), {
    timeoutMs: 20_000,
    description: 'both archivers to report sms_archive_postgres_up 0',
  });
  const inRedis = (await api.get(`/v1/sms/${accepted()[0]}`)).status;
  const answer = await api.get(`/v1/sms/${archivedId}`);
  const { code } = (await answer.json()) as { code?: number };
  // The fault's length, not a wait for an outcome: the outage lasts its minute whatever happens.
  await delay(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
  const posted = accepted(stoppedAt);
  const finalAtRestart = await finalInRedis(posted);
  // Read after the count: the backlog only grows while PostgreSQL is down.
  const backlogAtRestart = (await backlog()) ?? Number.NaN;
  const restartedAt = Date.now();
  await postgres.startServer();
  // The load goes on until the archivers write again, after their backoff (up to 30 s).
  const rowsAtRestart = await archivedRows();
  await waitFor(async () => (await archivedRows()) > rowsAtRestart, {
    timeoutMs: DRAIN_DEADLINE_MS,
    description: 'archiving to resume after the restart',
  });
  return {
    stoppedAt,
    restartedAt,
    posted,
    finalAtRestart,
    backlog: [backlogAtStop, backlogAtRestart],
    inRedis,
    onlyInPostgres: { status: answer.status, code, retryAfter: answer.headers.get('retry-after') },
  };
}

it('sends on through a minute without PostgreSQL, then archives every message exactly once', async () => {
  const { api, simulator } = stack;
  const archived = await messageOnlyInPostgres();
  const load = postAtRate(api, 'postgres down', { perSecond: RATE, keyedEvery: 1_000 });
  const outage = await outageUnder(load, archived.id).finally(() => load.stop());
  const { stoppedAt, restartedAt } = outage;

  const answered = load.answers.filter((answer) => answer.status === 202);
  const refused = load.answers.filter((answer) => answer.status !== 202);
  const accepted = [archived.id, ...answered.map((answer) => answer.id!)];
  await finalStatuses(api, accepted, 60_000);
  await waitFor(async () => (await backlog()) === 0, {
    timeoutMs: Math.max(10_000, restartedAt + DRAIN_DEADLINE_MS - Date.now()),
    description: `the archive backlog to drain within ${DRAIN_DEADLINE_MS} ms of the restart`,
  });
  const drainedMs = Date.now() - restartedAt;
  const { rows } = await pool.query<{ id: string; rows: number }>(
    'SELECT id::text, count(*)::int AS rows FROM sms_messages GROUP BY id',
  );
  const expected = new Set(accepted);
  const sample = outage.posted.filter((_, i) => i % Math.ceil(outage.posted.length / 50) === 0);
  const ttls = await Promise.all(sample.map((id) => redis.pttl(statusStore.key(id))));
  const texts = [archived.text, ...answered.map((answer) => answer.text)];
  const ours = new Set(texts);
  const deliveredInOutage = (await simulator.admin.messages()).filter((message) => {
    const at = Date.parse(message.receivedAt);
    return ours.has(message.text) && at >= stoppedAt && at < restartedAt;
  }).length;
  const outageSeconds = (restartedAt - stoppedAt) / 1_000;
  const postedRate = outage.posted.length / outageSeconds;
  const deliveredRate = deliveredInOutage / outageSeconds;
  const finalShare = outage.finalAtRestart / outage.posted.length;
  console.log(
    `postgres down: ${accepted.length} messages at ${RATE}/s, ${outage.posted.length} posted during the ` +
      `${outageSeconds.toFixed(1)} s outage, ${(finalShare * 100).toFixed(1)} % of them final before the restart; ` +
      `delivered ${deliveredRate.toFixed(1)}/s during it (posted ${postedRate.toFixed(1)}/s); ` +
      `backlog ${outage.backlog[0]} at the stop, ${outage.backlog[1]} at the restart, 0 after ${(drainedMs / 1_000).toFixed(1)} s; ` +
      `${rows.length} rows, TTLs sampled ${Math.min(...ttls)}..${Math.max(...ttls)} ms; ` +
      `read-through while down: ${outage.inRedis}, and ${outage.onlyInPostgres.status} (${outage.onlyInPostgres.code})`,
  );

  expect(refused).toEqual([]);
  expect(finalShare).toBeGreaterThanOrEqual(0.8);
  expect(deliveredRate / postedRate).toBeGreaterThanOrEqual(0.8);
  // An entry added after the stop cannot have been archived; one added before may have been.
  expect(outage.backlog[1]).toBeGreaterThanOrEqual(outage.finalAtRestart);
  expect(outage.backlog[1]).toBeGreaterThan(outage.backlog[0]);
  expect(outage.inRedis).toBe(200);
  expect(outage.onlyInPostgres).toMatchObject({
    status: 503,
    code: 5031,
    retryAfter: expect.stringMatching(/^\d+$/),
  });
  expect(rows.filter((row) => row.rows !== 1)).toEqual([]);
  expect(rows.filter((row) => !expected.has(row.id))).toEqual([]);
  expect(rows.length).toBe(expected.size);
  expect(ttls.filter((ttl) => ttl <= 0 || ttl > HOT_SECONDS * 1_000)).toEqual([]);
  expect(await Promise.all(archivers.map(postgresUp))).toEqual([1, 1]);
  expect(await simulator.admin.tally(texts)).toMatchObject({
    delivered: texts.length,
    duplicated: [],
    lost: [],
    unexpected: [],
  });
}, 240_000);
