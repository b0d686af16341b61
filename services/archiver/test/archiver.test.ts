import { createArchivePool } from '@sms/archive';
import { redisKeyPrefix } from '@sms/config';
import { readArchiveBacklog } from '@sms/queue';
import {
  finalStatuses,
  metricValue,
  postAll,
  type Stack,
  startPostgres,
  startStack,
  type TestPostgres,
  uniqueTexts,
  waitFor,
} from '@sms/testing';
import Redis from 'ioredis';
import type { Pool } from 'pg';
import { type ArchiverUnderTest, startArchiver } from './start-archiver';

// The archiver between a real gateway (the API and a worker as processes, the Kaarai simulator)
// and a real PostgreSQL: what becomes final in Redis ends up in PostgreSQL once, and Redis then
// keeps it only for the hot window.
const ADMIN_KEY = 'archiver-admin-key-0123456789';
const HOT_SECONDS = 60;

let stack: Stack;
let postgres: TestPostgres;
let archiver: ArchiverUnderTest;
let pool: Pool;
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  [stack, postgres] = await Promise.all([
    startStack({ apiEnv: { ADMIN_API_KEYS: `ops=${ADMIN_KEY}` } }),
    startPostgres(),
  ]);
  prefix = redisKeyPrefix(stack.prefix);
  redis = stack.onStop(new Redis(stack.redis.url), (it) => it.disconnect());
  archiver = await startArchiver({
    redisEnv: { REDIS_URL: stack.redis.url },
    queuePrefix: stack.prefix,
    databaseUrl: postgres.url,
    hotSeconds: HOT_SECONDS,
  });
  pool = createArchivePool(postgres.url);
}, 90_000);
afterAll(async () => {
  await archiver?.stop();
  await pool?.end();
  await stack?.stop();
  await postgres?.stop();
});

/** How many rows PostgreSQL holds for each of `ids` (0 for none), and their statuses. */
async function archivedRows(ids: readonly string[]) {
  const { rows } = await pool.query<{ id: string; status: string; history: unknown[] }>(
    'SELECT id::text, status, history FROM sms_messages WHERE id = ANY($1::uuid[])',
    [ids],
  );
  const counts = new Map(ids.map((id) => [id, 0]));
  for (const row of rows) counts.set(row.id, (counts.get(row.id) ?? 0) + 1);
  return { rows, counts };
}

const backlog = () => readArchiveBacklog(redis, prefix);

/** Waits until every one of `ids` is in PostgreSQL and the stream is empty. */
async function allArchived(ids: readonly string[], timeoutMs = 30_000) {
  return waitFor(
    async () => {
      const archived = await archivedRows(ids);
      return archived.rows.length >= ids.length && (await backlog()).messages === 0 && archived;
    },
    { timeoutMs, description: `${ids.length} messages archived and the backlog empty` },
  );
}

it('archives every delivered message once, with its history, and leaves Redis only the hot window', async () => {
  const ids = await postAll(stack.api, uniqueTexts('archived', 30));
  await finalStatuses(stack.api, ids, 30_000);
  const { rows, counts } = await allArchived(ids);

  expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);
  expect(rows.map((row) => row.status)).toEqual(Array(30).fill('accepted'));
  expect(rows.filter((row) => row.history.length === 0)).toEqual([]);
  const ttl = await redis.pttl(`${prefix}:status:${ids[0]}`);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(HOT_SECONDS * 1_000);
});

it("replaces a dead letter's archived record with its final state after a replay", async () => {
  const { simulator, api } = stack;
  await simulator.admin.setSettings({ blockedPrefixes: ['99912'] });
  const response = await api.post({ to: '999124567', text: uniqueTexts('replayed', 1)[0] });
  const { id } = (await response.json()) as { id: string };
  await finalStatuses(api, [id], 30_000);
  expect((await allArchived([id])).rows.map((row) => row.status)).toEqual(['dead_lettered']);

  await simulator.admin.setSettings({ blockedPrefixes: [] });
  const replay = await fetch(`${api.adminUrl}/v1/admin/dead-letters/${id}/replay`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(replay.status).toBe(200);
  const rows = await waitFor(
    async () => {
      const archived = await archivedRows([id]);
      return archived.rows[0]?.status === 'accepted' && archived.rows;
    },
    { timeoutMs: 30_000, description: 'the replayed message archived as accepted' },
  );
  expect(rows).toHaveLength(1);
});

it('lets the backlog grow while PostgreSQL is down, sending on, and archives it all once when it is back', async () => {
  await postgres.stopServer();
  try {
    const ids = await postAll(stack.api, uniqueTexts('outage', 20));
    await finalStatuses(stack.api, ids, 30_000);
    await waitFor(async () => (await backlog()).messages >= 20, {
      timeoutMs: 10_000,
      description: 'the 20 final messages waiting in the backlog',
    });
    await waitFor(
      async () =>
        metricValue(await (await fetch(`${archiver.url}/metrics`)).text(), 'sms_archive_postgres_up') === 0,
      { timeoutMs: 10_000, description: 'sms_archive_postgres_up 0' },
    );
    await postgres.startServer();
    const { counts } = await allArchived(ids, 60_000);
    expect([...counts.values()].filter((count) => count !== 1)).toEqual([]);
  } finally {
    await postgres.startServer().catch(() => {});
  }
}, 120_000);

it('reports its work on /metrics, and answers /health and /ready', async () => {
  const text = await (await fetch(`${archiver.url}/metrics`)).text();
  expect(metricValue(text, 'sms_archived_messages_total', { outcome: 'written' })).toBeGreaterThanOrEqual(52);
  expect(metricValue(text, 'sms_archive_failures_total', { stage: 'postgres' })).toBeGreaterThan(0);
  expect(metricValue(text, 'sms_archive_postgres_up')).toBe(1);
  expect(text).toContain('sms_archive_batch_duration_seconds_bucket');
  expect((await fetch(`${archiver.url}/health`)).status).toBe(200);
  const ready = await fetch(`${archiver.url}/ready`);
  expect({ status: ready.status, body: await ready.json() }).toEqual({
    status: 200,
    body: { status: 'ready', redis: 'ok', postgres: 'ok' },
  });
});
