import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import {
  type ApiProcess,
  freePort,
  queueJobCounts,
  type RedisServer,
  startApiProcess,
  startRedisServer,
  waitFor,
} from '@sms/testing';
import { runSms, stdoutJson } from './run-sms';

// Exit 3 means "not done, safe to retry". Faults: nothing listening, a server that never
// answers, and an API whose Redis is down (503). Invariant: a send retried with the key it
// printed makes exactly one message.
const KEY = 'unused-key-0123456789';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

describe('without an API', () => {
  let silent: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and reads requests, but never answers.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('exits 3 when nothing listens, printing the Idempotency-Key a send can be retried with', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const env = { SMS_API_URL: url, SMS_API_KEY: KEY, SMS_ADMIN_KEY: KEY };
    const [send, status, list] = await Promise.all([
      runSms(['send', '--to', '573001234567', '--text', 'hi'], { env }),
      runSms(['status', randomUUID()], { env }),
      runSms(['dlq', 'list', '--json'], { env }),
    ]);
    expect(send).toMatchObject({ code: 3, stdout: '' });
    expect(send.stderr).toMatch(new RegExp(`^sms send: not done: cannot reach ${url}: connect ECONNREFUSED`));
    expect(send.stderr).toMatch(new RegExp(`\\nSafe to retry with --idempotency-key ${UUID.source}: `));
    expect(status).toMatchObject({ code: 3, stdout: '' });
    expect(status.stderr).toMatch(/ECONNREFUSED.*\nSafe to retry\.\n$/);
    expect(list).toMatchObject({ code: 3, stdout: '' });
    expect(JSON.parse(list.stderr)).toEqual({
      outcome: 'retry',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('exits 3 when the API does not answer within --timeout, keeping the key it was given', async () => {
    const address = silent.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const run = await runSms(
      ['send', '--to', '573001234567', '--text', 'hi', '--timeout', '1', '--idempotency-key', 'my-key-1'],
      { env: { SMS_API_URL: url, SMS_API_KEY: KEY } },
    );
    expect(run).toEqual({
      code: 3,
      stdout: '',
      stderr: [
        `sms send: not done: no answer from ${url} within 1 s`,
        'Safe to retry with --idempotency-key my-key-1: the message is then made at most once.',
        '',
      ].join('\n'),
    });
  });
});

describe('with Redis down behind the API', () => {
  const prefix = `cli-${randomUUID().slice(0, 8)}`;
  let redis: RedisServer;
  let api: ApiProcess;

  beforeAll(async () => {
    redis = await startRedisServer();
    api = await startApiProcess({ redisUrl: redis.url, prefix });
  }, 60_000);
  afterAll(async () => {
    await api?.stop();
    await redis?.stop();
  });

  it('exits 3 on a 503, and the retry with the printed key makes one message', async () => {
    const env = { SMS_API_URL: api.url, SMS_API_KEY: api.apiKey };
    const args = ['send', '--to', '573001234567', '--text', `retried ${randomUUID()}`];
    await redis.crash();
    const failed = await runSms(args, { env });
    expect(failed).toMatchObject({ code: 3, stdout: '' });
    expect(failed.stderr).toMatch(/\n {2}HTTP 503, code 5030, request id \S+\n/);
    const key = new RegExp(`--idempotency-key (${UUID.source})`).exec(failed.stderr)?.[1];
    expect(key).toBeDefined();

    await redis.restart();
    await waitFor(async () => (await fetch(`${api.url}/readyz`)).ok, {
      timeoutMs: 20_000,
      intervalMs: 100,
      description: 'the API to reach Redis again',
    });
    const retried = await runSms([...args, '--idempotency-key', key!, '--json'], { env });
    expect(retried).toMatchObject({ code: 0, stderr: '' });
    const { id } = stdoutJson<{ id: string }>(retried);
    const again = await runSms([...args, '--idempotency-key', key!], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^id +${id}$`, 'm'));
    expect(again.stdout).toMatch(/^note +sent before with this --idempotency-key: no new message was made$/m);
    // No worker runs: the queue holds every message the API made.
    expect((await queueJobCounts(redis.url, prefix, 'sms')).total).toBe(1);
  });
});
