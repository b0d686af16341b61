import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@sms/logging';
import { type RedisServer, startRedisServer, waitFor } from '@sms/testing';
import Redis from 'ioredis';
import { type RunningApi, startApi, TEST_KEY } from './start-api';

// Invariant: whatever the API logs, for accepted, refused and failing requests alike, no line
// holds a message's text, a full phone number or an API key. The logger is the one main.ts
// builds, writing to a stream the test reads.
const NUMBER = '573001234567';
const TEXT = 'Your one-time code is 918273';
const WRONG_KEY = 'guessed-key-0123456789abcdef';

let redis: RedisServer;
let admin: Redis;
let api: RunningApi;
const lines: string[] = [];

beforeAll(async () => {
  // A private Redis: the test makes it refuse writes.
  redis = await startRedisServer();
  admin = new Redis(redis.url);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  api = await startApi(redis.url, {}, undefined, { logger: createLogger('api', 'trace', sink) });
});
afterAll(async () => {
  await api?.stop();
  admin?.disconnect();
  await redis?.stop();
});

const sms = { to: `+${NUMBER}`, text: TEXT };
const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

it('logs each accepted message once, with its id, the request id, the client and the masked number', async () => {
  const requestId = `trace-${randomUUID()}`;
  const res = await api.post('/v1/sms', sms, { 'x-request-id': requestId });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };

  const about = parsed().filter((line) => line.messageId === id);
  expect(about).toEqual([
    expect.objectContaining({
      level: 30,
      msg: 'message accepted',
      messageId: id,
      requestId,
      client: 'billing',
      to: '5730******67',
    }),
  ]);

  // A repeat under the same Idempotency-Key is logged under its own request id, same message.
  const key = randomUUID();
  const first = (await (await api.post('/v1/sms', sms, { 'idempotency-key': key })).json()) as { id: string };
  const repeat = await api.post('/v1/sms', sms, { 'idempotency-key': key, 'x-request-id': `${requestId}-2` });
  expect(repeat.headers.get('idempotency-replayed')).toBe('true');
  expect(parsed().filter((line) => line.messageId === first.id)).toEqual([
    expect.objectContaining({ msg: 'message accepted', replayed: false }),
    expect.objectContaining({ requestId: `${requestId}-2`, replayed: true, to: '5730******67' }),
  ]);
});

it('logs neither the text, nor the full number, nor a key, whatever the request', async () => {
  // Accepted, with and without an idempotency key.
  expect((await api.post('/v1/sms', sms)).status).toBe(202);
  expect((await api.post('/v1/sms', sms, { 'idempotency-key': randomUUID() })).status).toBe(202);

  // Refused.
  const refused: Array<[unknown, Record<string, string>?]> = [
    [{ ...sms, to: `${NUMBER}${NUMBER}` }],
    [{ ...sms, text: `${TEXT}${'x'.repeat(600)}` }],
    [{ ...sms, text: `${TEXT}\u0000` }],
    [{ ...sms, extra: TEXT }],
    [`{"to":"${NUMBER}","text":"${TEXT}"`],
    [`{"to":"${NUMBER}","to":"${NUMBER}","text":"${TEXT}"}`],
    [sms, { authorization: `Bearer ${WRONG_KEY}` }],
    [sms, { 'content-type': 'text/plain' }],
    [sms, { 'idempotency-key': `${TEXT}\u00e9` }],
  ];
  for (const [body, headers] of refused) {
    expect((await api.post('/v1/sms', body, headers)).status).toBeGreaterThanOrEqual(400);
  }

  // Failing: Redis refuses every write, so the enqueue fails inside Redis and ioredis's error
  // carries the command's arguments, the job among them.
  await admin.config('SET', 'maxmemory-policy', 'noeviction');
  await admin.config('SET', 'maxmemory', '1');
  expect((await api.post('/v1/sms', sms)).status).toBe(503);
  expect((await api.post('/v1/sms', sms, { 'idempotency-key': randomUUID() })).status).toBe(503);
  await admin.config('SET', 'maxmemory', '0');

  const failure = await waitFor(() => lines.find((line) => line.includes('enqueue failed')), {
    description: 'the enqueue failure to be logged',
  });
  expect(failure).toContain('[redacted]');
  for (const line of lines) {
    expect(line).not.toContain(NUMBER);
    expect(line).not.toContain(TEXT);
    expect(line).not.toContain(TEST_KEY);
    expect(line).not.toContain(WRONG_KEY);
  }
});
