import { randomUUID } from 'node:crypto';
import { redisKeyPrefix } from '@sms/config';
import {
  createDeadLetterQueue,
  createSmsQueue,
  type DeadLetterEntry,
  type RedisConnection,
} from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import { type ConnectedRedis, connectTestRedis, freePort, seedDeadLetter } from '@sms/testing';
import { runPnpmSms, runSms, stdoutJson } from './run-sms';

// `sms dlq ... --direct` as an operator runs it when the API is down: straight on a real Redis,
// named by the gateway's variables or --redis-url, never by default. Each test has its own key
// prefix, so that it sees only its own dead letters.
let connected: ConnectedRedis;
let redis: RedisConnection;
const queues: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  connected = await connectTestRedis();
  redis = connected.redis;
});
afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
  await connected?.stop();
});

function gateway() {
  const queuePrefix = `direct-${randomUUID().slice(0, 8)}`;
  const prefix = redisKeyPrefix(queuePrefix);
  const deadLetterQueue = createDeadLetterQueue({ connection: redis, prefix });
  const smsQueue = createSmsQueue({ connection: redis, prefix });
  queues.push(deadLetterQueue, smsQueue);
  const env = { REDIS_URL: connected.server.url, QUEUE_PREFIX: queuePrefix, SEND_ATTEMPTS: '6' };

  const dlq = (args: readonly string[], more: Record<string, string> = {}) =>
    runSms(['dlq', ...args, '--direct'], { env: { ...env, ...more } });
  const putAside = (overrides: Partial<DeadLetterEntry> = {}) =>
    seedDeadLetter(
      { deadLetterQueue, statusStore: new StatusStore(redis, { prefix }) },
      { acceptedAt: Date.now() - 60_000, ...overrides },
    );
  return { dlq, putAside, smsQueue, env, queuePrefix };
}

it('lists dead letters as JSON and as a table, receivers masked', async () => {
  const { dlq, putAside } = gateway();
  const rejected = await putAside({ deadLetteredAt: Date.now() - 1_000 });
  const expired = await putAside({ reason: 'expired', deadLetteredAt: Date.now() });

  const listed = await dlq(['list', '--json']);
  expect(listed).toMatchObject({ code: 0, stderr: '' });
  expect(stdoutJson(listed)).toEqual({
    total: 2,
    items: [
      expect.objectContaining({ id: expired, reason: 'expired', to: '5730******67' }),
      expect.objectContaining({ id: rejected, reason: 'rejected', code: 4031, client: 'billing' }),
    ],
  });

  const table = await dlq(['list', '--reason', 'rejected']);
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(new RegExp(`${rejected}\\s+rejected\\s+4031\\s+1\\s+billing\\s+5730\\*{6}67`));
  expect(table.stdout).not.toContain(expired);
  expect(table.stdout).not.toContain('573001234567');
});

it('shows a dead letter in full, then deletes it; exit 4 once it is gone', async () => {
  const { dlq, putAside } = gateway();
  const id = await putAside();

  const shown = await dlq(['show', id]);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toContain(`text of ${id}`);
  expect(shown.stdout).toMatch(/history:\nATTEMPT.*\n1 .*rejected\s+4031\s+Not routable/);

  expect(await dlq(['delete', id])).toEqual({ code: 0, stdout: `Deleted ${id}.\n`, stderr: '' });
  expect(await dlq(['show', id])).toEqual({
    code: 4,
    stdout: '',
    stderr: `sms dlq show: not found: message ${id} is not in the dead-letter queue\n  code 4042\n`,
  });
  expect(await dlq(['delete', id])).toMatchObject({ code: 4, stdout: '' });
});

it('replays dead letters once, with the attempts and validity asked for', async () => {
  const { dlq, putAside, smsQueue } = gateway();
  const [id, other] = [await putAside({ reason: 'expired' }), await putAside()];

  const replayed = await dlq(['replay', id, other, '--valid-for', '120', '--json']);
  expect(replayed.code).toBe(0);
  expect(stdoutJson<unknown[]>(replayed)).toEqual([
    expect.objectContaining({ outcome: 'replayed', id }),
    expect.objectContaining({ outcome: 'replayed', id: other }),
  ]);
  const job = await smsQueue.getJob(id);
  expect(job?.opts.attempts).toBe(6);
  expect(job?.data.expiresAt).toBeGreaterThan(Date.now() + 60_000);

  const again = await dlq(['replay', id]);
  expect(again).toMatchObject({ code: 4, stdout: '' });
  expect(again.stderr).toContain(`${id} is not in the dead-letter queue`);
});

it('replays by filter only with --yes, saying first how many would be replayed', async () => {
  const { dlq, putAside, smsQueue } = gateway();
  const ids = [
    await putAside({ reason: 'retries_exhausted' }),
    await putAside({ reason: 'retries_exhausted' }),
  ];
  await putAside({ reason: 'rejected' });

  const refused = await dlq(['replay-all', '--reason', 'retries_exhausted']);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toContain('2 dead letters match. Nothing was replayed: add --yes');
  for (const id of ids) expect(await smsQueue.getJob(id)).toBeUndefined();

  const done = await dlq(['replay-all', '--reason', 'retries_exhausted', '--yes']);
  expect(done).toMatchObject({ code: 0, stdout: 'Replayed 2 of 2 matching dead letters.\n' });
  for (const id of ids) expect(await smsQueue.getJob(id)).toBeDefined();
  const json = await dlq(['replay-all', '--yes', '--json']);
  expect(stdoutJson(json)).toEqual({ matched: 1, replayed: 1, notFound: 0, busy: 0, failed: 0 });
});

it('takes the Redis from --redis-url in place of the variables', async () => {
  const { putAside, queuePrefix } = gateway();
  const id = await putAside();
  const unreachable = `redis://127.0.0.1:${await freePort()}`;
  const run = await runSms(['dlq', 'show', id, '--direct', '--redis-url', connected.server.url], {
    env: { REDIS_URL: unreachable, REDIS_CLUSTER_NODES: '127.0.0.1:1', QUEUE_PREFIX: queuePrefix },
  });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`text of ${id}`);
});

it('exits 1 without a Redis named, never trying a default one, and on a bad configuration', async () => {
  const { dlq } = gateway();
  const unnamed = { REDIS_URL: '', QUEUE_PREFIX: 'sms', REDIS_PASSWORD: 'secret' };
  const [none, config, badUrl] = await Promise.all([
    runSms(['dlq', 'list', '--direct'], { env: unnamed }),
    dlq(['list'], { SEND_ATTEMPTS: 'many' }),
    dlq(['list', '--redis-url', 'http://r:6379']),
  ]);
  expect(none).toEqual({
    code: 1,
    stdout: '',
    stderr:
      'sms dlq list: --direct needs the Redis to work on: give --redis-url URL, or set REDIS_URL (or ' +
      'REDIS_SENTINELS with REDIS_SENTINEL_MASTER, or REDIS_CLUSTER_NODES) as the gateway has them. It never assumes one.\n',
  });
  expect(config).toMatchObject({ code: 1, stdout: '' });
  expect(config.stderr).toContain('SEND_ATTEMPTS: must be a number');
  expect(badUrl).toMatchObject({ code: 1, stdout: '' });
  expect(badUrl.stderr).toContain(
    'REDIS_URL: must start with redis:// or rediss:// (REDIS_URL is --redis-url here)',
  );
});

it('exits 2 on what the API would refuse, and 3 when Redis cannot be reached', async () => {
  const { dlq, putAside } = gateway();
  const id = await putAside();
  const [reason, validity, unreachable] = await Promise.all([
    dlq(['list', '--reason', 'lost']),
    dlq(['replay', id, '--valid-for', '10']),
    freePort().then((port) => dlq(['list'], { REDIS_URL: `redis://127.0.0.1:${port}` })),
  ]);
  expect(reason).toEqual({
    code: 2,
    stdout: '',
    stderr:
      'sms dlq list: refused: reason: must be one of rejected, retries_exhausted, expired\n  code 4010, field reason\n',
  });
  expect(validity).toMatchObject({ code: 2, stdout: '' });
  expect(validity.stderr).toContain('validFor: must be a whole number of seconds from 30 to 604800');
  expect(unreachable).toMatchObject({ code: 3, stdout: '' });
  expect(unreachable.stderr).toMatch(
    /^sms dlq list: not done: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+.*ECONNREFUSED.*\nSafe to retry\.\n$/,
  );
});

it('passes the exit code through the root pnpm sms script', async () => {
  const { env, putAside } = gateway();
  const id = await putAside();
  const port = await freePort();
  const [found, missing, refused, retry] = await Promise.all([
    runPnpmSms(['dlq', 'show', id, '--direct', '--json'], { env }),
    runPnpmSms(['dlq', 'show', randomUUID(), '--direct'], { env }),
    runPnpmSms(['dlq', 'list', '--reason', 'lost', '--direct'], { env }),
    runPnpmSms(['dlq', 'list', '--direct', '--redis-url', `redis://127.0.0.1:${port}`], { env }),
  ]);
  expect(found.code).toBe(0);
  expect(stdoutJson(found)).toMatchObject({ id });
  expect([missing.code, refused.code, retry.code]).toEqual([4, 2, 3]);
});
