import { randomUUID } from 'node:crypto';
import { createArchivePool } from '@sms/archive';
import { redisKeyPrefix } from '@sms/config';
import { createDeadLetterQueue, createSmsQueue } from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import {
  archivePastHotWindow,
  type ConnectedRedis,
  connectTestRedis,
  seedDeadLetter,
  startPostgres,
  type TestPostgres,
} from '@sms/testing';
import { runSms, stdoutJson } from './run-sms';

// `sms dlq show --direct` past a dead letter's hot window: Redis has let its status record and
// history go, PostgreSQL (--database-url or DATABASE_URL) has them. The operator sees what they
// saw before; with PostgreSQL down, a failure worth retrying, never a view without its history.
let connected: ConnectedRedis;
let postgres: TestPostgres;
let pool: ReturnType<typeof createArchivePool>;
const queues: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  [connected, postgres] = await Promise.all([connectTestRedis(), startPostgres()]);
  pool = createArchivePool(postgres.url);
});
afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
  await pool?.end();
  await Promise.all([connected?.stop(), postgres?.stop()]);
});

/** A dead letter whose record and history only PostgreSQL still has, and how to run `sms dlq`. */
async function archivedDeadLetter() {
  const queuePrefix = `archive-${randomUUID().slice(0, 8)}`;
  const prefix = redisKeyPrefix(queuePrefix);
  const redis = connected.redis;
  const deadLetterQueue = createDeadLetterQueue({ connection: redis, prefix });
  queues.push(deadLetterQueue, createSmsQueue({ connection: redis, prefix }));
  const statusStore = new StatusStore(redis, { prefix });
  const id = await seedDeadLetter({ deadLetterQueue, statusStore });
  const env = { REDIS_URL: connected.server.url, QUEUE_PREFIX: queuePrefix };
  const show = (more: readonly string[] = [], moreEnv: Record<string, string> = {}) =>
    runSms(['dlq', 'show', id, '--direct', '--json', ...more], { env: { ...env, ...moreEnv } });

  const before = await show();
  await archivePastHotWindow({ redis, statusStore, pool }, id);
  return { id, before, show };
}

it('shows a dead letter from PostgreSQL as it showed it from Redis, by --database-url or DATABASE_URL', async () => {
  const { before, show } = await archivedDeadLetter();
  expect(before.code).toBe(0);
  expect(stdoutJson(before)).toMatchObject({
    status: { status: 'dead_lettered' },
    history: [{ attempt: 1 }],
  });

  expect(await show(['--database-url', postgres.url])).toEqual(before);
  expect(await show([], { DATABASE_URL: postgres.url })).toEqual(before);
  // Redis alone no longer knows its status or history.
  expect(stdoutJson(await show())).toMatchObject({ history: [] });
});

it('fails, worth retrying, while PostgreSQL is down; --database-url only with --direct', async () => {
  const { id, show } = await archivedDeadLetter();
  await postgres.stopServer();
  try {
    const run = await show(['--database-url', postgres.url]);
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr).toContain('the archive (PostgreSQL) is unavailable');
  } finally {
    await postgres.startServer();
  }
  const misuse = await runSms(['dlq', 'show', id, '--database-url', postgres.url]);
  expect(misuse.code).toBe(1);
  expect(misuse.stderr).toContain('sms dlq show: --database-url is for --direct only');
});
