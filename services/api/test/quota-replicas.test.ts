import { randomUUID } from 'node:crypto';
import {
  type ApiProcess,
  FAULT_TEST_API_KEY,
  mapConcurrently,
  metricValue,
  startApiProcess,
  startRedis,
  type TestRedis,
} from '@sms/testing';

// Two API processes share one Redis and one QUEUE_PREFIX, as replicas behind a load balancer
// do, with CLIENT_QUOTAS from their environment. Load: requests spread over both in turn.
// Invariant: a quota holds for the client across the replicas, not per replica.
const BURST_KEY = 'burst-key-0123456789abcdef';
let redis: TestRedis;
let replicas: ApiProcess[];

beforeAll(async () => {
  redis = await startRedis();
  const prefix = `q${randomUUID().slice(0, 8)}`;
  const env = {
    API_KEYS: `faults=${FAULT_TEST_API_KEY},burst=${BURST_KEY}`,
    CLIENT_QUOTAS: 'faults=30/d,burst=10/s',
  };
  replicas = await Promise.all([
    startApiProcess({ redisUrl: redis.url, prefix, env }),
    startApiProcess({ redisUrl: redis.url, prefix, env }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all((replicas ?? []).map((api) => api.stop()));
  await redis?.stop();
});

const SMS = { to: '573001234567', text: 'shared quota' };

it('accepts exactly the daily quota across both replicas, a batch counting its messages', async () => {
  const [first, second] = replicas as [ApiProcess, ApiProcess];
  const batch = await fetch(`${first.url}/v1/sms/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${first.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages: Array.from({ length: 10 }, () => SMS) }),
  });
  expect(batch.status).toBe(202);

  // 40 single messages for the 20 left, over both replicas in turn, 8 at a time.
  const answers = await mapConcurrently(
    Array.from({ length: 40 }, (_, i) => i),
    8,
    async (i) => {
      const res = await (i % 2 ? second : first).post(SMS);
      return { replica: i % 2, status: res.status, code: ((await res.json()) as { code?: number }).code };
    },
  );
  const accepted = answers.filter((a) => a.status === 202);
  expect(accepted).toHaveLength(20);
  expect(answers.filter((a) => a.status === 429 && a.code === 4291)).toHaveLength(20);
  expect(new Set(accepted.map((a) => a.replica))).toEqual(new Set([0, 1]));

  const refusals = await Promise.all(
    replicas.map(async (api) =>
      metricValue(await (await fetch(`${api.adminUrl}/metrics`)).text(), 'sms_api_quota_refusals_total', {
        client: 'faults',
        limit: 'messages_per_day',
      }),
    ),
  );
  expect(refusals.reduce<number>((sum, n) => sum + (n ?? 0), 0)).toBe(20);
});

it('holds the requests per second of a client across both replicas', async () => {
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: 60 }, async (_, i) => {
      const api = replicas[i % 2]!;
      const res = await fetch(`${api.url}/v1/sms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BURST_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(SMS),
      });
      const body = (await res.json()) as { code?: number };
      return { status: res.status, code: body.code };
    }),
  );
  const elapsedMs = performance.now() - started;
  const accepted = answers.filter((a) => a.status === 202).length;
  // Shared, the replicas accept at most 10 per one-second window between them; on their own
  // they would accept up to 20. The burst spans at most this many windows.
  const windows = Math.ceil(elapsedMs / 1_000) + 1;
  console.log(`60 requests over 2 replicas in ${Math.round(elapsedMs)} ms: ${accepted} accepted`);
  expect(accepted).toBeGreaterThanOrEqual(10);
  expect(accepted).toBeLessThanOrEqual(10 * windows);
  expect(answers.filter((a) => a.status !== 202).every((a) => a.status === 429 && a.code === 4290)).toBe(
    true,
  );
});
