import { randomUUID } from 'node:crypto';
import { createProducerConnection, waitForRedis } from '@sms/queue';
import { type ApiProcess, type RedisCluster, startApiProcess, startRedisCluster } from '@sms/testing';
import type { Cluster } from 'ioredis';

// Quotas and batches on a Redis Cluster (three primaries): the API as a process with
// REDIS_CLUSTER_NODES. The quota counters are named under {QUEUE_PREFIX}, so they live in the
// gateway's slot like its other keys, and a batch's bulk add is one pipeline into that slot.
let cluster: RedisCluster;
let api: ApiProcess;
let connection: Cluster;
const prefix = `c${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  cluster = await startRedisCluster();
  api = await startApiProcess({ redisEnv: cluster.env, prefix, env: { CLIENT_QUOTAS: 'faults=100/s:5/d' } });
  connection = createProducerConnection(cluster.target);
  await waitForRedis(connection, { warn: () => {} });
}, 90_000);
afterAll(async () => {
  connection?.disconnect();
  await api?.stop();
  await cluster?.stop();
});

function postBatch(count: number): Promise<Response> {
  return fetch(`${api.url}/v1/sms/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      messages: Array.from({ length: count }, (_, i) => ({ to: '573001234567', text: `#${i}` })),
    }),
  });
}

it('accepts a batch and counts its messages against the daily quota in the gateway slot', async () => {
  const first = await postBatch(4);
  expect(first.status).toBe(202);
  expect(first.headers.get('ratelimit')).toMatch(
    /^"requests-per-second";r=99;t=1, "messages-per-day";r=1;t=\d+$/,
  );
  const { messages } = (await first.json()) as { messages: Array<{ id: string }> };
  for (const { id } of messages) expect((await api.status(id)).status).toBe('queued');

  const refused = await postBatch(2);
  expect(refused.status).toBe(429);
  expect(await refused.json()).toMatchObject({ code: 4291 });

  const day = new Date().toISOString().slice(0, 10);
  const counter = `{${prefix}}:quota:day:faults:${day}`;
  expect(await connection.get(counter)).toBe('4');
});
