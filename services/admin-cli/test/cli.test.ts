import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { redisKeyPrefix } from '@sms/config';
import {
  createDeadLetterQueue,
  createProducerConnection,
  createSmsQueue,
  type DeadLetterEntry,
  deadLetter,
  type RedisConnection,
  waitForRedis,
} from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import { freePort, startRedis, type TestRedis } from '@sms/testing';

// Runs the real command line, as an operator would, against a real Redis. Each test has its
// own key prefix, so that it sees only its own dead letters.
const ROOT = join(__dirname, '..', '..', '..');
let server: TestRedis;
let redis: RedisConnection;
const queues: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  server = await startRedis();
  redis = createProducerConnection(server.target);
  redis.on('error', () => {});
  await waitForRedis(redis, { warn: () => {} });
});
afterAll(async () => {
  await Promise.all(queues.map((queue) => queue.close()));
  redis?.disconnect();
  await server?.stop();
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function gateway() {
  const queuePrefix = `cli-${randomUUID().slice(0, 8)}`;
  const prefix = redisKeyPrefix(queuePrefix);
  const deadLetterQueue = createDeadLetterQueue({ connection: redis, prefix });
  const smsQueue = createSmsQueue({ connection: redis, prefix });
  queues.push(deadLetterQueue, smsQueue);

  const dlq = (args: readonly string[], env: Record<string, string> = {}): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'services/admin-cli/src/main.ts', 'dlq', ...args],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            REDIS_URL: server.url,
            QUEUE_PREFIX: queuePrefix,
            SEND_ATTEMPTS: '6',
            ...env,
          },
          timeout: 30_000,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });

  const putAside = async (overrides: Partial<DeadLetterEntry> = {}): Promise<string> => {
    const id = randomUUID();
    const entry: DeadLetterEntry = {
      to: '573001234567',
      text: `text of ${id}`,
      client: 'billing',
      acceptedAt: Date.now() - 60_000,
      reason: 'rejected',
      code: 4031,
      message: 'Not routable',
      attempts: 1,
      deadLetteredAt: Date.now(),
      ...overrides,
    };
    await new StatusStore(redis, { prefix }).write(
      id,
      {
        status: 'dead_lettered',
        attempts: 1,
        client: 'billing',
        to: '5730******67',
        createdAt: entry.acceptedAt,
      },
      { attempt: 1, code: 4031, outcome: 'rejected', message: 'Not routable', at: entry.deadLetteredAt },
    );
    await deadLetter(deadLetterQueue, id, entry);
    return id;
  };

  return { dlq, putAside, smsQueue };
}

it('lists dead letters as JSON and as a table, receivers masked', async () => {
  const { dlq, putAside } = gateway();
  const rejected = await putAside({ deadLetteredAt: Date.now() - 1_000 });
  const expired = await putAside({ reason: 'expired', deadLetteredAt: Date.now() });

  const listed = await dlq(['list', '--json']);
  expect(listed).toMatchObject({ code: 0, stderr: '' });
  expect(JSON.parse(listed.stdout)).toEqual({
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

it('shows a dead letter in full, then deletes it', async () => {
  const { dlq, putAside } = gateway();
  const id = await putAside();

  const shown = await dlq(['show', id]);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toContain(`text of ${id}`);
  expect(shown.stdout).toMatch(/history:\nATTEMPT.*\n1 .*rejected\s+4031\s+Not routable/);

  expect(await dlq(['delete', id])).toMatchObject({ code: 0, stdout: `Deleted ${id}.\n` });
  expect(await dlq(['show', id])).toMatchObject({
    code: 1,
    stdout: `${id} is not in the dead-letter queue.\n`,
  });
});

it('replays a dead letter once, with the attempts and validity asked for', async () => {
  const { dlq, putAside, smsQueue } = gateway();
  const id = await putAside({ reason: 'expired' });

  const replayed = await dlq(['replay', id, '--valid-for', '120', '--json']);
  expect(replayed.code).toBe(0);
  expect(JSON.parse(replayed.stdout)).toMatchObject({ outcome: 'replayed', id });
  const job = await smsQueue.getJob(id);
  expect(job?.opts.attempts).toBe(6);
  expect(job?.data.expiresAt).toBeGreaterThan(Date.now() + 60_000);

  const again = await dlq(['replay', id]);
  expect(again.code).toBe(1);
  expect(again.stdout).toContain('is not in the dead-letter queue');
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
});

it('exits 2 with the problem on a wrong command or configuration, and 1 when Redis is unreachable', async () => {
  const { dlq } = gateway();
  const [usage, config, unreachable] = await Promise.all([
    dlq(['list', '--reason', 'lost']),
    dlq(['list'], { SEND_ATTEMPTS: 'many' }),
    freePort().then((port) => dlq(['list'], { REDIS_URL: `redis://127.0.0.1:${port}` })),
  ]);
  expect(usage).toMatchObject({ code: 2, stdout: '' });
  expect(usage.stderr).toContain('dlq list: --reason must be one of rejected, retries_exhausted, expired');
  expect(config).toMatchObject({ code: 2, stdout: '' });
  expect(config.stderr).toContain('SEND_ATTEMPTS: must be a number');
  expect(unreachable).toMatchObject({ code: 1, stdout: '' });
  expect(unreachable.stderr).toMatch(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+.*ECONNREFUSED/);
});
