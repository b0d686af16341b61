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
