import { randomUUID } from 'node:crypto';
import { redisKeyPrefix } from '@sms/config';
import {
  createDeadLetterQueue,
  createProducerConnection,
  type DeadLetterEntry,
  type DeadLetterQueue,
  type RedisConnection,
  waitForRedis,
} from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import {
  type ApiProcess,
  type RunningSimulator,
  seedDeadLetter,
  startApiProcess,
  startRedis,
  startSimulator,
  startWorkerProcess,
  type TestRedis,
  type WorkerProcess,
  waitFor,
} from '@sms/testing';
import { runSms, type SmsRunOptions, stdoutJson } from './run-sms';

// The real command line against the real gateway: an API process and a worker on a real Redis,
// sending to the Kaarai simulator over TLS. Dead letters are seeded in the gateway's Redis as
// the worker leaves them.
const ADMIN_KEY = 'cli-test-admin-key-0123456789';
let redis: TestRedis;
let simulator: RunningSimulator;
let api: ApiProcess;
let worker: WorkerProcess;
let queuePrefix: string;
let connection: RedisConnection;
let deadLetterQueue: DeadLetterQueue;
let statusStore: StatusStore;

beforeAll(async () => {
  [redis, simulator] = await Promise.all([startRedis(), startSimulator({ https: true })]);
  const prefix = `cli-${randomUUID().slice(0, 8)}`;
  queuePrefix = prefix;
  connection = createProducerConnection(redis.target);
  connection.on('error', () => {});
  await waitForRedis(connection, { warn: () => {} });
  deadLetterQueue = createDeadLetterQueue({ connection, prefix: redisKeyPrefix(prefix) });
  statusStore = new StatusStore(connection, { prefix: redisKeyPrefix(prefix) });
  api = await startApiProcess({ redisUrl: redis.url, prefix, env: { ADMIN_API_KEYS: `ops=${ADMIN_KEY}` } });
  worker = await startWorkerProcess({
    redisUrl: redis.url,
    prefix,
    kaaraiUrl: simulator.httpsUrl!,
    caFile: simulator.caFile!,
  });
  await worker.ready();
}, 120_000);
afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await deadLetterQueue?.close();
  connection?.disconnect();
  await simulator?.stop();
  await redis?.stop();
});

const sms = (args: readonly string[], options: SmsRunOptions = {}) =>
  runSms(args, {
    ...options,
    env: {
      SMS_API_URL: api.url,
      SMS_ADMIN_URL: api.adminUrl,
      SMS_API_KEY: api.apiKey,
      SMS_ADMIN_KEY: ADMIN_KEY,
      ...options.env,
    },
  });

/** The same command on the gateway's Redis, named as the gateway's own variables name it. */
const direct = (args: readonly string[]) =>
  runSms([...args, '--direct'], { env: { REDIS_URL: redis.url, QUEUE_PREFIX: queuePrefix } });

const seed = (overrides: Partial<DeadLetterEntry> = {}) =>
  seedDeadLetter({ deadLetterQueue, statusStore }, { client: 'faults', ...overrides });

/** Polls the API (not the command line: each run is a process) until the message has `status`. */
const statusReaches = (id: string, status: string) =>
  waitFor(async () => (await api.status(id)).status === status, {
    timeoutMs: 30_000,
    intervalMs: 100,
    description: `message ${id} to be ${status}`,
  });

it('sends a text read from standard input, then shows the message accepted by Kaarai', async () => {
  const text = `from the command line ${randomUUID()}`;
  const sent = await sms(['send', '--to', '+573001234567', '--text', '-', '--json'], {
    input: `${text}\nsecond line\n`,
  });
  expect(sent).toMatchObject({ code: 0, stderr: '' });
  const { id, status } = stdoutJson<{ id: string; status: string }>(sent);
  expect(status).toBe('queued');

  await statusReaches(id, 'accepted');
  const [shown, asJson] = await Promise.all([sms(['status', id]), sms(['status', id, '--json'])]);
  expect(shown).toMatchObject({ code: 0, stderr: '' });
  expect(shown.stdout).toMatch(new RegExp(`^id +${id}$`, 'm'));
  expect(shown.stdout).toMatch(/^status +accepted$/m);
  expect(shown.stdout).toMatch(/^to +5730\*{6}67$/m);
  expect(shown.stdout).toMatch(/^last code +2020 /m);
  expect(stdoutJson(asJson)).toEqual(await api.status(id));
  // The final newline of standard input is not part of the text; the one inside is.
  expect(await simulator.admin.tally([`${text}\nsecond line`])).toMatchObject({
    delivered: 1,
    duplicated: [],
  });
});

it('passes priority, send time and reference through; find looks the message up and cancel stops it', async () => {
  const reference = `order-${randomUUID().slice(0, 8)}`;
  const sendAt = new Date(Date.now() + 3_600_000).toISOString();
  const sent = await sms([
    'send',
    '--to',
    '573001234568',
    '--text',
    'Your order ships tomorrow',
    '--priority',
    'high',
    '--delivery',
    'at-most-once',
    '--send-at',
    sendAt,
    '--reference',
    reference,
  ]);
  expect(sent).toMatchObject({ code: 0, stderr: '' });
  expect(sent.stdout).toMatch(/^status +scheduled$/m);
  expect(sent.stdout).toMatch(/^priority +high$/m);
  expect(sent.stdout).toMatch(/^delivery +at-most-once$/m);
  expect(sent.stdout).toMatch(new RegExp(`^reference +${reference}$`, 'm'));
  const id = /^id +(\S+)$/m.exec(sent.stdout)?.[1];
  expect(id).toBeDefined();

  const found = await sms(['find', reference, '--json']);
  expect(found.code).toBe(0);
  expect(stdoutJson(found)).toEqual({
    reference,
    messages: [expect.objectContaining({ id, status: 'scheduled', priority: 'high', sendAt, reference })],
  });

  expect(await sms(['cancel', id!])).toEqual({
    code: 0,
    stdout: `Canceled ${id}: it will not be sent.\n`,
    stderr: '',
  });
  const [after, again] = await Promise.all([sms(['status', id!, '--json']), sms(['cancel', id!])]);
  expect(stdoutJson(after)).toMatchObject({ id, status: 'canceled' });
  expect(again).toMatchObject({ code: 2, stdout: '' });
  expect(again.stderr).toMatch(/^sms cancel: refused: .*already canceled\n {2}HTTP 409, code 4092/);
});

it('exits 2 when the API refuses the request, with its code and field', async () => {
  const [badNumber, asJson, badPriority, wrongKey] = await Promise.all([
    sms(['send', '--to', '12', '--text', 'hi']),
    sms(['send', '--to', '12', '--text', 'hi', '--json']),
    sms(['send', '--to', '573001234567', '--text', 'hi', '--priority', 'urgent']),
    sms(['status', randomUUID()], { env: { SMS_API_KEY: 'not-a-key-0123456789' } }),
  ]);
  expect(badNumber).toMatchObject({ code: 2, stdout: '' });
  expect(badNumber.stderr).toMatch(
    /^sms send: refused: "to" .*\n {2}HTTP 400, code 4003, field to, request id \S+\n$/,
  );
  expect(asJson).toMatchObject({ code: 2, stdout: '' });
  expect(JSON.parse(asJson.stderr)).toMatchObject({
    outcome: 'refused',
    status: 400,
    code: 4003,
    field: 'to',
    idempotencyKey: expect.any(String),
  });
  expect(badPriority).toMatchObject({ code: 2 });
  expect(badPriority.stderr).toContain('code 4015, field priority');
  expect(wrongKey).toMatchObject({ code: 2 });
  expect(wrongKey.stderr).toContain('HTTP 401, code 4030');
  expect(wrongKey.stderr).toContain('Check the client key: --key or SMS_API_KEY');
});

it('exits 4 for a message or dead letter that does not exist', async () => {
  const id = randomUUID();
  const runs = await Promise.all([
    sms(['status', id]),
    sms(['cancel', id]),
    sms(['dlq', 'show', id]),
    sms(['dlq', 'delete', id]),
  ]);
  expect(runs.map((run) => run.code)).toEqual([4, 4, 4, 4]);
  expect(runs.map((run) => /code (\d+)/.exec(run.stderr)?.[1])).toEqual(['4041', '4041', '4042', '4042']);
  expect(runs.every((run) => run.stdout === '')).toBe(true);
});

it('lists, shows, replays and deletes dead letters through the admin API', async () => {
  const texts = [`replay me ${randomUUID()}`, `delete me ${randomUUID()}`];
  const ids = await Promise.all(
    // Valid for a day from acceptance: a replay keeps that validity, counted from the replay.
    texts.map((text, i) =>
      seed({
        to: `57300123456${i}`,
        text,
        deadLetteredAt: Date.now() - i,
        expiresAt: Date.now() + 86_400_000,
      }),
    ),
  );
  const [toReplay, toDelete] = ids as [string, string];

  const listed = await sms(['dlq', 'list', '--json']);
  expect(listed.code).toBe(0);
  expect(stdoutJson(listed)).toEqual({
    total: 2,
    items: expect.arrayContaining(
      ids.map((id) => expect.objectContaining({ id, reason: 'rejected', code: 4031, client: 'faults' })),
    ),
  });

  // One page at a time, the footer naming the cursor of the next.
  const first = await sms(['dlq', 'list', '--reason', 'rejected', '--limit', '1']);
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/^DEAD-LETTERED AT +ID +REASON +CODE +ATTEMPTS +CLIENT +TO +MESSAGE$/m);
  const cursor = /^1 shown, 2 matching\. Next page: --cursor (\S+)$/m.exec(first.stdout)?.[1];
  expect(cursor).toBeDefined();
  const second = await sms(['dlq', 'list', '--reason', 'rejected', '--limit', '1', '--cursor', cursor!]);
  const onPage = (page: { stdout: string }) => ids.filter((id) => page.stdout.includes(id));
  expect([...onPage(first), ...onPage(second)].sort()).toEqual([...ids].sort());
  expect(onPage(first)).toHaveLength(1);

  const [shown, badFilter, clientKey] = await Promise.all([
    sms(['dlq', 'show', toReplay]),
    sms(['dlq', 'list', '--reason', 'lost']),
    sms(['dlq', 'list'], { env: { SMS_ADMIN_KEY: api.apiKey } }),
  ]);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(/^reason +rejected \(code 4031\)/m);
  expect(shown.stdout).toContain(`text:\n  ${texts[0]}\n`);
  expect(shown.stdout).toMatch(/history:\nATTEMPT.*\n1 .*rejected +4031/);
  expect(badFilter).toMatchObject({ code: 2 });
  expect(badFilter.stderr).toContain('code 4010, field reason');
  expect(clientKey).toMatchObject({ code: 2 });
  expect(clientKey.stderr).toContain('Check the operator key: --admin-key or SMS_ADMIN_KEY');

  // Kaarai takes the replayed message: it is delivered, once.
  const unknown = randomUUID();
  const replayed = await sms(['dlq', 'replay', toReplay, unknown]);
  expect(replayed.code).toBe(4);
  expect(replayed.stdout).toMatch(new RegExp(`^Replayed ${toReplay}; valid until \\S+\\.\\n$`));
  expect(replayed.stderr).toContain(`${unknown} is not in the dead-letter queue`);
  await statusReaches(toReplay, 'accepted');
  expect(await simulator.admin.tally([texts[0]!])).toMatchObject({ delivered: 1, duplicated: [] });
  const twice = await sms(['dlq', 'replay', toReplay, '--json']);
  expect(twice.code).toBe(4);
  expect(stdoutJson(twice)).toEqual([{ outcome: 'not_found', id: toReplay }]);

  expect(await sms(['dlq', 'delete', toDelete])).toEqual({
    code: 0,
    stdout: `Deleted ${toDelete}.\n`,
    stderr: '',
  });
  const [gone, status] = await Promise.all([
    sms(['dlq', 'show', toDelete]),
    sms(['status', toDelete, '--json']),
  ]);
  expect(gone.code).toBe(4);
  expect(stdoutJson(status)).toMatchObject({ id: toDelete, status: 'dead_lettered' });
});

it('prints and exits alike through the API and with --direct on the same dead letters', async () => {
  const reason = 'expired';
  const since = new Date(Date.now() - 1_000).toISOString();
  const ids = [await seed({ reason }), await seed({ reason, deadLetteredAt: Date.now() + 1 })];
  const unknown = randomUUID();
  const both = async (args: readonly string[]) => {
    const [viaApi, viaRedis] = await Promise.all([sms(args), direct(args)]);
    // The API's failures carry its HTTP status and request id; the rest is the same.
    const plain = (run: typeof viaApi) => {
      if (run.stderr.startsWith('{')) {
        const { status: _status, requestId: _requestId, ...failure } = JSON.parse(run.stderr);
        return { ...run, stderr: failure };
      }
      return { ...run, stderr: run.stderr.replace(/HTTP \d+, |, request id \S+/g, '') };
    };
    expect(plain(viaRedis)).toEqual(plain(viaApi));
    return viaApi;
  };

  const listed = await both(['dlq', 'list', '--reason', reason, '--since', since, '--json']);
  expect(stdoutJson(listed)).toMatchObject({ total: 2, items: [{ id: ids[1] }, { id: ids[0] }] });
  expect((await both(['dlq', 'list', '--reason', reason, '--since', since])).code).toBe(0);
  expect((await both(['dlq', 'show', ids[0]!])).stdout).toContain(`text of ${ids[0]}`);
  const counted = await both(['dlq', 'replay-all', '--reason', reason, '--since', since]);
  expect(counted).toEqual({
    code: 1,
    stdout: '2 dead letters match. Nothing was replayed: add --yes to replay them.\n',
    stderr: '',
  });
  const none = await both(['dlq', 'replay-all', '--reason', reason, '--since', '2999-01-01', '--json']);
  expect(none).toMatchObject({ code: 0 });
  expect(stdoutJson(none)).toEqual({ matching: 0, replayed: 0 });

  const [show, remove, replay] = await Promise.all([
    both(['dlq', 'show', unknown]),
    both(['dlq', 'delete', unknown]),
    both(['dlq', 'replay', unknown]),
  ]);
  expect([show.code, remove.code, replay.code]).toEqual([4, 4, 4]);
  expect(show.stderr).toMatch(
    new RegExp(
      `^sms dlq show: not found: message ${unknown} is not in the dead-letter queue\\n  HTTP 404, code 4042, request id \\S+\\n$`,
    ),
  );
  const [badReason, badValidity] = await Promise.all([
    both(['dlq', 'list', '--reason', 'lost', '--json']),
    both(['dlq', 'replay', ids[0]!, '--valid-for', '10']),
  ]);
  expect(badReason.code).toBe(2);
  expect(JSON.parse(badReason.stderr)).toMatchObject({ outcome: 'refused', code: 4010, field: 'reason' });
  expect(badValidity.code).toBe(2);
  expect(badValidity.stderr).toContain('code 4009, field validFor');

  // Replayed by one route, the dead letters are gone for both.
  const all = await direct(['dlq', 'replay-all', '--reason', reason, '--since', since, '--yes']);
  expect(all).toEqual({ code: 0, stdout: 'Replayed 2 of 2 matching dead letters.\n', stderr: '' });
  await Promise.all(ids.map((id) => statusReaches(id, 'accepted')));
  expect((await both(['dlq', 'replay', ids[0]!])).code).toBe(4);
});

it('prints help with exit 0, and refuses wrong usage with exit 1 before sending anything', async () => {
  const [help, usage, noKey, version] = await Promise.all([
    sms(['dlq', 'replay', '--help']),
    sms(['send', '--to', '573001234567']),
    sms(['status', randomUUID()], { env: { SMS_API_KEY: '' } }),
    sms(['--version']),
  ]);
  expect(help).toMatchObject({ code: 0, stderr: '' });
  expect(help.stdout).toMatch(/^Usage: sms dlq replay ID\.\.\. \[options\]\n/);
  expect(usage).toMatchObject({ code: 1, stdout: '' });
  expect(usage.stderr).toMatch(/^sms: sms send needs --text\n\nUsage: sms send --to NUMBER --text TEXT/);
  expect(noKey).toMatchObject({ code: 1, stdout: '' });
  expect(noKey.stderr).toBe('sms status: needs a client key (API_KEYS): give --key KEY or set SMS_API_KEY\n');
  expect(version).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });

  // The parser's own errors exit with the usage code too.
  const [unknownOption, missingArgument, extraArgument, noCommand] = await Promise.all([
    sms(['dlq', 'list', '--reasons', 'expired']),
    sms(['dlq', 'show']),
    sms(['dlq', 'replay-all', 'abc']),
    sms([]),
  ]);
  expect(unknownOption).toMatchObject({ code: 1, stdout: '' });
  expect(unknownOption.stderr).toMatch(/^sms: unknown option '--reasons'/);
  expect(missingArgument).toMatchObject({ code: 1, stdout: '' });
  expect(missingArgument.stderr).toMatch(/^sms: missing required argument 'id'\n\nUsage: sms dlq show ID\n/);
  expect(extraArgument).toMatchObject({ code: 1, stdout: '' });
  expect(noCommand).toMatchObject({ code: 1, stdout: '' });
  expect(noCommand.stderr).toMatch(/^Usage: sms COMMAND \[options\]/);
});
