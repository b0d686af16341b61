import { randomUUID } from 'node:crypto';
import { CallbackOutbox, GivenUpCallbacks } from '@sms/callbacks';
import { redisKeyPrefix } from '@sms/config';
import { type ApiProcess, type ConnectedRedis, connectTestRedis, startApiProcess } from '@sms/testing';
import { runSms, stdoutJson } from './run-sms';

// `sms callbacks ...` through a real API process (its admin port) and with --direct on the same
// real Redis: the same results, text and exit codes either way. The given-up callbacks are left
// as the callback worker leaves them (`GivenUpCallbacks.giveUp`); posting them is
// test/callbacks/replay-given-up-callbacks.test.ts's.
const ADMIN_KEY = 'cli-callbacks-admin-key-0123456789';
const queuePrefix = `cb-${randomUUID().slice(0, 8)}`;
const prefix = redisKeyPrefix(queuePrefix);

let connected: ConnectedRedis;
let api: ApiProcess;
let outbox: CallbackOutbox;
let givenUp: GivenUpCallbacks;

beforeAll(async () => {
  connected = await connectTestRedis();
  api = await startApiProcess({
    redisUrl: connected.server.url,
    prefix: queuePrefix,
    env: { ADMIN_API_KEYS: `ops=${ADMIN_KEY}` },
  });
  outbox = new CallbackOutbox(connected.redis, { prefix, retentionSeconds: 3600 });
  givenUp = new GivenUpCallbacks(connected.redis, {
    prefix,
    retentionSeconds: 3600,
    outboxRetentionSeconds: 3600,
  });
}, 60_000);
afterAll(async () => {
  await api?.kill();
  await connected?.stop();
});

const WAYS = {
  api: (args: readonly string[]) =>
    runSms(['callbacks', ...args], { env: { SMS_ADMIN_URL: api.adminUrl, SMS_ADMIN_KEY: ADMIN_KEY } }),
  direct: (args: readonly string[]) =>
    runSms(['callbacks', ...args, '--direct'], {
      env: { REDIS_URL: connected.server.url, QUEUE_PREFIX: queuePrefix },
    }),
};

/** A message whose first `count` events were given up, as the callback worker leaves them. */
async function givenUpMessage(count: number, client = 'faults'): Promise<string> {
  const messageId = randomUUID();
  for (let i = 0; i < count; i++) {
    await outbox.push(messageId, {
      client,
      url: 'https://hooks.faults.internal/sms?token=t0ken',
      status: i === 0 ? 'retrying' : 'accepted',
      at: Date.now(),
    });
  }
  for (let i = 0; i < count; i++) {
    await givenUp.giveUp(messageId, (await outbox.head(messageId))!, {
      lastError: 'the receiver answered 503',
      attempts: 12,
    });
  }
  return messageId;
}

/** The sequences waiting in the message's outbox, head first. */
async function outboxSequences(messageId: string): Promise<number[]> {
  const entries = await connected.redis.lrange(`${prefix}:callback-outbox:${messageId}`, 0, -1);
  return entries.map((entry) => Number(entry.split(':')[0]));
}

describe.each(Object.keys(WAYS) as (keyof typeof WAYS)[])('through %s', (way) => {
  const sms = WAYS[way];

  it('lists and shows given-up callbacks, the receiver by its host only', async () => {
    const id = await givenUpMessage(1, `c${way}`);
    const listed = await sms(['list', '--client', `c${way}`, '--json']);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(stdoutJson(listed)).toEqual({
      total: 1,
      callbacks: [
        expect.objectContaining({
          id: `${id}:1`,
          host: 'hooks.faults.internal',
          lastError: 'the receiver answered 503',
        }),
      ],
    });
    const table = await sms(['list', '--client', `c${way}`]);
    expect(table.stdout).toContain(`${id}:1`);
    expect(table.stdout).not.toContain('t0ken');

    const shown = await sms(['show', `${id}:1`]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/last error +the receiver answered 503/);
    expect(await sms(['show', `${id}:9`])).toMatchObject({ code: 4 });
  });

  it("replays a message's callbacks oldest first whatever the order given, and exits 4 for one not given up", async () => {
    const id = await givenUpMessage(2);
    const replayed = await sms(['replay', `${id}:2`, `${id}:1`, '--json']);
    expect(replayed).toMatchObject({ code: 0, stderr: '' });
    expect(stdoutJson(replayed)).toEqual({
      replayed: [`${id}:1`, `${id}:2`],
      notFound: [],
      failed: [],
      notTried: [],
    });
    expect(await outboxSequences(id)).toEqual([1, 2]);

    const again = await sms(['replay', `${id}:1`]);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain(`${id}:1 is not a given-up callback`);
  });

  it('replays all a filter selects only with --yes, and refuses a bad filter with 4019', async () => {
    const client = `all${way}`;
    const id = await givenUpMessage(1, client);
    expect(await sms(['replay-all', '--client', client])).toMatchObject({ code: 1 });
    expect(await outboxSequences(id)).toEqual([]);
    const done = await sms(['replay-all', '--client', client, '--yes', '--json']);
    expect(done).toMatchObject({ code: 0 });
    expect(stdoutJson(done)).toEqual({ replayed: [`${id}:1`], notFound: [] });
    expect(await sms(['replay-all', '--client', client])).toMatchObject({ code: 0 });

    const refused = await sms(['list', '--since', 'yesterday', '--json']);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stderr)).toMatchObject({ code: 4019, field: 'since' });
  });
});

it('wants an admin key through the API, and none with --direct', async () => {
  const noKey = await runSms(['callbacks', 'list'], { env: { SMS_ADMIN_URL: api.adminUrl } });
  expect(noKey.code).toBe(1);
  expect(await WAYS.direct(['list'])).toMatchObject({ code: 0 });
});
