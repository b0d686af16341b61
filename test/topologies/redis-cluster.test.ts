import {
  type ApiProcess,
  FAST_RETRIES,
  finalStatuses,
  newPrefix,
  type RedisCluster,
  type RunningSimulator,
  startApiProcess,
  startRedisCluster,
  startSimulator,
  startWorkerProcess,
  Teardown,
  uniqueTexts,
  waitFor,
} from '@sms/testing';

// The whole path on a Redis Cluster: the API and two workers as processes with
// REDIS_CLUSTER_NODES (three primaries), the Kaarai simulator over TLS. Every key of the gateway
// hashes to one slot ({QUEUE_PREFIX}), so BullMQ's scripts, the status store's transactions, the
// sending gate and the dead-letter index work as on one server.
// Load: 60 messages, one in ten to a number Kaarai refuses for good (4031), 30% of calls failing
// with 5030 at first.
// Invariant: every message answered 202 reaches a final status through the API; each one Kaarai
// can take is delivered exactly once and reads `accepted`; each refused one reads
// `dead_lettered` and is listed by the admin API's dead-letter index.
const ADMIN_KEY = 'cluster-admin-key-0123456789';
const BLOCKED = '99912';

const teardown = new Teardown();
let cluster: RedisCluster;
let simulator: RunningSimulator;
let api: ApiProcess;

beforeAll(async () => {
  [cluster, simulator] = await Promise.all([
    startRedisCluster().then((c) => teardown.add(c, (it) => it.stop())),
    startSimulator({ https: true }).then((s) => teardown.add(s, (it) => it.stop())),
  ]);
  const prefix = newPrefix();
  api = teardown.add(
    await startApiProcess({ redisEnv: cluster.env, prefix, env: { ADMIN_API_KEYS: `ops=${ADMIN_KEY}` } }),
    (it) => it.stop(),
  );
  const workers = await Promise.all(
    [1, 2].map(() =>
      startWorkerProcess({
        redisEnv: cluster.env,
        prefix,
        kaaraiUrl: simulator.httpsUrl!,
        caFile: simulator.caFile!,
        env: FAST_RETRIES,
      }).then((worker) => teardown.add(worker, (it) => it.stop())),
    ),
  );
  await Promise.all(workers.map((worker) => worker.ready()));
}, 90_000);
afterAll(() => teardown.run());

it('answers ready while every primary of the cluster answers', async () => {
  const response = await fetch(`${api.url}/readyz`);
  expect({ status: response.status, body: await response.json() }).toEqual({
    status: 200,
    body: { status: 'ready', redis: 'ok' },
  });
});

it('delivers each message once or dead-letters it, and reports every one final', async () => {
  await simulator.admin.setSettings({ blockedPrefixes: [BLOCKED] });
  await simulator.admin.setFaults({ failureRate: 0.3 });
  const texts = uniqueTexts('cluster', 60);
  const refused = new Set(texts.filter((_, i) => i % 10 === 0));
  const ids = await postAllTo(texts, (text) => (refused.has(text) ? `${BLOCKED}4567` : '573001234567'));
  const statuses = await finalStatuses(api, ids, 60_000);
  await simulator.admin.clearFaults();

  const statusOf = new Map(texts.map((text, i) => [text, statuses.get(ids[i]!)]));
  expect(
    texts.filter((text) => statusOf.get(text) !== (refused.has(text) ? 'dead_lettered' : 'accepted')),
  ).toEqual([]);
  expect(await simulator.admin.tally(texts.filter((text) => !refused.has(text)))).toMatchObject({
    delivered: 54,
    duplicated: [],
    lost: [],
    unexpected: [],
  });

  // A dead letter is written just after its final status: wait for all six to be listed.
  const deadIds = new Set(ids.filter((_, i) => refused.has(texts[i]!)));
  const listedReasons = await waitFor(
    async () => {
      const listed = await fetch(`${api.adminUrl}/v1/admin/dead-letters?limit=100`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(listed.status).toBe(200);
      const page = (await listed.json()) as { items: Array<{ id: string; reason: string }> };
      const reasons = page.items.filter((item) => deadIds.has(item.id)).map((item) => item.reason);
      return reasons.length === deadIds.size && reasons;
    },
    { timeoutMs: 10_000, description: 'the six dead letters listed' },
  );
  expect(listedReasons).toEqual(Array(6).fill('rejected'));
});

// postAll posts to one number; here the number depends on the text.
async function postAllTo(texts: readonly string[], numberOf: (text: string) => string): Promise<string[]> {
  const ids: string[] = [];
  for (const text of texts) {
    const response = await api.post({ to: numberOf(text), text });
    const body = (await response.json()) as { id?: string };
    if (response.status !== 202 || body.id === undefined)
      throw new Error(`POST of "${text}" answered ${response.status}: ${JSON.stringify(body)}`);
    ids.push(body.id);
  }
  return ids;
}

it('accepts a message posted with an Idempotency-Key once, however often it is posted', async () => {
  const [text] = uniqueTexts('cluster idempotent', 1);
  const ids = await Promise.all(
    [1, 2, 3].map(async () => {
      const response = await api.post({ to: '573001234567', text }, { 'idempotency-key': text! });
      expect(response.status).toBe(202);
      return ((await response.json()) as { id: string }).id;
    }),
  );
  expect(new Set(ids).size).toBe(1);
  await finalStatuses(api, [ids[0]!], 30_000);
  expect(await simulator.admin.tally([text!])).toMatchObject({ delivered: 1, duplicated: [] });
});
