import { randomUUID } from 'node:crypto';
import { startRedis, type TestRedis } from '@sms/testing';
import Redis from 'ioredis';
import { SendingGate } from '../src/sending-gate';

// The gate's rules on a real Redis, with a clock the test moves (the only thing mocked).
let server: TestRedis;
let redis: Redis;
let clock: number;

beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

function newGate(overrides: { minCalls?: number; failureRatio?: number } = {}) {
  clock = 1_000_000;
  return new SendingGate(redis, {
    prefix: `g${randomUUID().slice(0, 8)}`,
    holdProbeIntervalMs: 30_000,
    circuit: { failureRatio: 0.5, minCalls: 4, windowMs: 10_000, openMs: 5_000, ...overrides },
    probeLeaseMs: 2_000,
    now: () => clock,
  });
}

it('lets every call through while nothing has gone wrong', async () => {
  const gate = newGate();
  expect(await gate.admit()).toEqual({ kind: 'send' });
  expect(await gate.state()).toEqual({ state: 'open' });
});

it('holds on a configuration fault, then lets exactly one probe through after the interval', async () => {
  const gate = newGate();
  expect(await gate.recordHold(4030, 'Authorization failed for user: gateway')).toBe(true);
  expect(await gate.recordHold(4030, 'again')).toBe(false);
  expect(await gate.state()).toMatchObject({ state: 'held', code: 4030, until: clock + 30_000 });
  expect(await gate.admit()).toEqual({ kind: 'wait', ms: 30_000 });

  clock += 30_000;
  const admissions = await Promise.all([gate.admit(), gate.admit(), gate.admit()]);
  expect(admissions.filter((a) => a.kind === 'probe')).toHaveLength(1);
  expect(admissions.filter((a) => a.kind === 'wait')).toHaveLength(2);
});

it('opens again when a call is answered', async () => {
  const gate = newGate();
  await gate.recordHold(4040, 'Unknown request');
  clock += 30_000;
  expect(await gate.admit()).toEqual({ kind: 'probe' });
  await gate.recordAnswer();
  expect(await gate.state()).toEqual({ state: 'open' });
  expect(await gate.admit()).toEqual({ kind: 'send' });
});

it('does not open the circuit before the window holds enough calls', async () => {
  const gate = newGate({ minCalls: 4 });
  for (let i = 0; i < 3; i++) expect(await gate.recordFailure(5030, '5030', false)).toBe(false);
  expect(await gate.state()).toEqual({ state: 'open' });
});

it('opens the circuit when the failure ratio is reached, and stays open until a probe succeeds', async () => {
  const gate = newGate({ minCalls: 4, failureRatio: 0.5 });
  await gate.recordAnswer();
  await gate.recordAnswer();
  expect(await gate.recordFailure(5030, '5030', false)).toBe(false);
  expect(await gate.recordFailure(5030, '5030', false)).toBe(true);
  expect(await gate.state()).toMatchObject({ state: 'circuit_open', code: 5030, until: clock + 5_000 });
  expect(await gate.admit()).toEqual({ kind: 'wait', ms: 5_000 });

  clock += 5_000;
  expect(await gate.admit()).toEqual({ kind: 'probe' });
  expect(await gate.recordFailure(0, 'timeout', true)).toBe(true);
  expect(await gate.state()).toMatchObject({ state: 'circuit_open', until: clock + 5_000 });

  clock += 5_000;
  expect(await gate.admit()).toEqual({ kind: 'probe' });
  await gate.recordAnswer();
  expect(await gate.state()).toEqual({ state: 'open' });
  // The failures that opened it are forgotten: one more failure does not reopen it.
  expect(await gate.recordFailure(5030, '5030', false)).toBe(false);
});

it('judges only the calls inside the window', async () => {
  const gate = newGate({ minCalls: 4 });
  for (let i = 0; i < 3; i++) await gate.recordFailure(5030, '5030', false);
  clock += 11_000;
  for (let i = 0; i < 3; i++) await gate.recordAnswer();
  expect(await gate.recordFailure(5030, '5030', false)).toBe(false);
});

describe('admission with a claimed record', () => {
  const claim = (key: string) => ({
    key,
    fields: { status: 'sending', attempts: 1 },
    ttlSeconds: 60,
    unlessStatusIn: ['accepted', 'failed'],
  });

  it('writes the record, with its expiry, in the round trip that admits the call', async () => {
    const gate = newGate();
    const key = `record:${randomUUID()}`;
    expect(await gate.admit(claim(key))).toEqual({ kind: 'send' });
    expect(await redis.hgetall(key)).toEqual({ status: 'sending', attempts: '1' });
    expect(await redis.ttl(key)).toBeGreaterThan(50);
  });

  it('refuses a record already in a refusing status, and leaves it as it was', async () => {
    const gate = newGate();
    const key = `record:${randomUUID()}`;
    await redis.hset(key, { status: 'accepted', attempts: 2 });
    expect(await gate.admit(claim(key))).toEqual({ kind: 'refused', status: 'accepted' });
    expect(await redis.hgetall(key)).toEqual({ status: 'accepted', attempts: '2' });
  });

  it('writes nothing while the gate says wait, and writes for the one probe', async () => {
    const gate = newGate();
    const key = `record:${randomUUID()}`;
    await gate.recordHold(4030, 'Authorization failed');
    expect(await gate.admit(claim(key))).toEqual({ kind: 'wait', ms: 30_000 });
    expect(await redis.exists(key)).toBe(0);
    clock += 30_000;
    expect(await gate.admit(claim(key))).toEqual({ kind: 'probe' });
    expect(await redis.hget(key, 'status')).toBe('sending');
    expect(await gate.admit(claim(`record:${randomUUID()}`))).toEqual({ kind: 'wait', ms: 1_000 });
  });

  it("answers unsure, writing nothing, for a record still in the claim's unsureIf status", async () => {
    // An at-most-once message whose earlier admitted call left no outcome, even while the gate
    // is held: the answer does not wait for a gate it will never go through.
    const gate = newGate();
    const key = `record:${randomUUID()}`;
    await redis.hset(key, { status: 'sending', attempts: 1 });
    await gate.recordHold(4030, 'Authorization failed');
    expect(await gate.admit({ ...claim(key), unsureIf: 'sending' })).toEqual({ kind: 'unsure' });
    expect(await redis.hgetall(key)).toEqual({ status: 'sending', attempts: '1' });
  });

  it('admits as before a record in any other status, or without unsureIf', async () => {
    const gate = newGate();
    const retrying = `record:${randomUUID()}`;
    await redis.hset(retrying, { status: 'retrying', attempts: 1 });
    expect(await gate.admit({ ...claim(retrying), unsureIf: 'sending' })).toEqual({ kind: 'send' });
    const sending = `record:${randomUUID()}`;
    await redis.hset(sending, { status: 'sending', attempts: 1 });
    expect(await gate.admit(claim(sending))).toEqual({ kind: 'send' });
    // A final status is refused first: `unknown` itself included.
    const unknown = `record:${randomUUID()}`;
    await redis.hset(unknown, { status: 'unknown', attempts: 1 });
    expect(await gate.admit({ ...claim(unknown), unlessStatusIn: ['unknown'], unsureIf: 'sending' })).toEqual(
      { kind: 'refused', status: 'unknown' },
    );
  });

  it('lets one of two workers racing for a redelivered at-most-once message through, never both', async () => {
    // The first admission writes `sending`; the second, in the same tick, finds it and is unsure.
    const gate = newGate();
    for (let i = 0; i < 50; i++) {
      const key = `record:${randomUUID()}`;
      const atMostOnce = { ...claim(key), unsureIf: 'sending' };
      const kinds = (await Promise.all([gate.admit(atMostOnce), gate.admit(atMostOnce)])).map((a) => a.kind);
      expect(kinds.sort()).toEqual(['send', 'unsure']);
    }
  });

  it('loads its script again after Redis forgot it', async () => {
    const gate = newGate();
    // Only on a Redis of our own: other users of a shared one keep their scripts.
    if (server.owned) await redis.script('FLUSH');
    expect(await gate.admit(claim(`record:${randomUUID()}`))).toEqual({ kind: 'send' });
  });
});
