import { randomUUID } from 'node:crypto';
import { createProducerConnection, waitForRedis } from '@sms/queue';
import { startRedis, type TestRedis } from '@sms/testing';
import type Redis from 'ioredis';
import { IdempotencyStore } from '../src/idempotency';

let redis: TestRedis;
let connection: Redis;

beforeAll(async () => {
  redis = await startRedis();
  connection = createProducerConnection(redis.target);
  await waitForRedis(connection, { warn: () => {} });
});
afterAll(async () => {
  connection?.disconnect();
  await redis?.stop();
});

const HOUR = 3_600_000;
const claimOf = () => ({ id: randomUUID(), requestHash: 'WAfuFqgt2Qk5scf5PMtvzg' });

function storeAt(clock: { now: number }, ttlSeconds = 86_400, prefix = 'idem-test') {
  return new IdempotencyStore(connection, { prefix, ttlSeconds, now: () => clock.now });
}

describe('IdempotencyStore', () => {
  it('remembers a claim for its TTL, across hours, and forgets it after', async () => {
    const clock = { now: Date.UTC(2026, 0, 1, 10, 59, 59) };
    const store = storeAt(clock);
    const key = randomUUID();
    const first = claimOf();
    expect(await store.claim('billing', key, first)).toBeUndefined();

    clock.now += 86_400_000 - 1_000;
    expect(await store.claim('billing', key, claimOf())).toEqual(first);
    expect(await store.peek('billing', key)).toEqual(first);

    clock.now += 1_000;
    expect(await store.peek('billing', key)).toBeUndefined();
    const next = claimOf();
    expect(await store.claim('billing', key, next)).toBeUndefined();
    expect(await store.peek('billing', key)).toEqual(next);
  });

  it('finds the claims of a store with another TTL, and keeps them apart per client', async () => {
    const clock = { now: Date.now() };
    const key = randomUUID();
    const first = claimOf();
    await storeAt(clock, 60).claim('billing', key, first);
    expect(await storeAt(clock).claim('billing', key, claimOf())).toEqual(first);
    expect(await storeAt(clock).peek('marketing', key)).toBeUndefined();
  });

  it('keeps a hash of claims until the last claim it holds is forgotten', async () => {
    const clock = { now: Date.now() };
    const key = randomUUID();
    await storeAt(clock).claim('billing', key, claimOf());
    const bucket = storeAt(clock).key('billing', key);
    // A store with a shorter TTL adding to the same hash leaves it the longer life.
    await storeAt(clock, 60).claim('billing', `${key}-other`, claimOf());
    expect(await connection.pttl(bucket)).toBeGreaterThan(86_400_000);
    expect(await connection.pttl(bucket)).toBeLessThanOrEqual(86_400_000 + 2 * HOUR);
  });

  it('answers the claims kept under a key of their own, as the API kept them before', async () => {
    const clock = { now: Date.now() };
    const key = 'order-17';
    // The key and value of a claim as the earlier API wrote them.
    const legacyKey = 'idem-test:idem:billing:cqkOo9qLXdAb3i8nMU4C4hf5NRgupXOn_5tfUGDvmWs';
    const earlier = claimOf();
    await connection.set(legacyKey, `${earlier.id} ${earlier.requestHash}`, 'EX', 60);
    expect(await storeAt(clock).claim('billing', key, claimOf())).toEqual(earlier);
  });
});
