import { SMS_QUEUE } from '@sms/queue';
import {
  infoFields,
  isFinal,
  mapConcurrently,
  postContinuously,
  queueDrained,
  type RedisServer,
  type Stack,
  startStack,
  waitFor,
} from '@sms/testing';
import Redis from 'ioredis';

// Fault: Redis reaches `maxmemory` (noeviction) while Kaarai is in an outage, so that jobs pile
//   up and every retry, circuit wait and status write meets Redis refusing writes (OOM); it is
//   kept there for 12 s after the first refusals, Kaarai comes back while Redis still refuses,
//   then memory is raised.
// Load: 16 clients posting back to back until well after Redis refuses (a few thousand 202s, the
//   rest 503); an API, two worker processes of 16 jobs each, 3 send attempts, retries in tens of
//   milliseconds: before the fix, each refused write used up an attempt.
// Invariant: every message answered 202 ends in a final status that can be looked up, and none
//   ended because Redis refused a write (no status names the refusal); every message accepted is
//   at Kaarai, at most once more than once for each send in flight when Redis began refusing
//   (2 workers x 16). Both services report not ready while Redis refuses writes, with the reason,
//   and ready again after; the workers log a bounded number of lines while Redis refuses.
const CONCURRENCY = 16;
const HOLD_MS = 12_000;

let stack: Stack<RedisServer>;
let admin: Redis;

beforeAll(async () => {
  stack = await startStack({
    // A redis-server of its own whatever REDIS_URL says: the test changes its maxmemory.
    redisServer: {},
    apiEnv: { SEND_ATTEMPTS: '3' },
    workers: 2,
    workerEnv: { WORKER_CONCURRENCY: String(CONCURRENCY), JOB_LOCK_MS: '5000' },
  });
  admin = stack.onStop(new Redis(stack.redis.url), (it) => it.disconnect());
}, 60_000);
afterAll(() => stack?.stop());

it('ends every accepted message, and none by Redis refusing writes, through a spell at maxmemory', async () => {
  const { redis, simulator, api, prefix, workers } = stack;
  await simulator.admin.setFaults({ outageMs: 600_000 });
  const used = Number(infoFields(await admin.info('memory')).used_memory);
  await admin.config('SET', 'maxmemory', String(used + 3 * 1024 * 1024));

  const load = postContinuously(api, 'oom', 16);
  const { answers } = load;
  const refusedSince = (since: number) => answers.filter((a) => a.status === 503 && a.at >= since).length;
  let refusingAt = 0;
  let linesAtRefusal: number[] = [];
  let readinessWhileRefusing: unknown[] = [];
  try {
    refusingAt = await waitFor(() => refusedSince(0) >= 50 && Date.now(), {
      timeoutMs: 60_000,
      description: 'the API to answer 503 once Redis refuses writes',
    });
    linesAtRefusal = workers.map((worker) => worker.lineCount());
    readinessWhileRefusing = await waitFor(
      async () => {
        const [apiReady, ...workersReady] = await Promise.all([
          fetch(`${api.url}/readyz`).then(async (r) => ({ status: r.status, body: await r.json() })),
          ...workers.map((worker) => worker.readyz()),
        ]);
        const all = [apiReady!, ...workersReady];
        return all.every((r) => r.status === 503) && all;
      },
      { timeoutMs: 15_000, intervalMs: 250, description: 'every service to report not ready' },
    );
    await waitFor(() => Date.now() - refusingAt >= HOLD_MS, { timeoutMs: HOLD_MS + 5_000, intervalMs: 250 });
  } finally {
    await load.stop();
  }
  // Kaarai is back while Redis still refuses: sends may succeed whose outcome cannot be written.
  await simulator.admin.setFaults({ outageMs: 0 });
  const kaaraiBackAt = Date.now();
  await waitFor(() => Date.now() - kaaraiBackAt >= 3_000, { timeoutMs: 10_000, intervalMs: 250 });
  const linesWhileRefusing = workers.map((worker, i) => worker.lineCount() - linesAtRefusal[i]!);
  await admin.config('SET', 'maxmemory', '0');

  const accepted = answers.filter((a) => a.status === 202);
  const ids = accepted.map((a) => a.id!);
  await queueDrained(redis.url, prefix, SMS_QUEUE, 120_000);
  const look = () =>
    mapConcurrently(ids, 16, async (id) => {
      const response = await api.get(`/v1/sms/${id}`);
      return {
        id,
        http: response.status,
        ...((await response.json()) as { status?: string; lastMessage?: string }),
      };
    });
  // Waits for every message to be final, then looks once more, so that a failure counts them all.
  await waitFor(async () => (await look()).every((view) => view.http === 200 && isFinal(view.status!)), {
    timeoutMs: 60_000,
    intervalMs: 500,
    description: 'every accepted message to be final',
  }).catch(() => undefined);
  const views = await look();
  const missing = views.filter((view) => view.http !== 200).map((view) => view.id);
  const notFinal = views.filter((view) => view.http === 200 && !isFinal(view.status!)).map((view) => view.id);
  const endedByRedis = views.filter((view) => /OOM|maxmemory|refuses writes/.test(view.lastMessage ?? ''));
  const statuses: Record<string, number> = {};
  for (const view of views)
    statuses[view.status ?? `HTTP ${view.http}`] = (statuses[view.status ?? `HTTP ${view.http}`] ?? 0) + 1;
  const sentTexts = accepted.filter((_, i) => views[i]!.status === 'accepted').map((a) => a.text);
  const tally = await simulator.admin.tally(sentTexts);
  const readyAfter = await waitFor(
    async () => {
      const all = await Promise.all([
        fetch(`${api.url}/readyz`).then((r) => r.status),
        ...workers.map(async (w) => (await w.readyz()).status),
      ]);
      return all.every((status) => status === 200) && all;
    },
    { timeoutMs: 15_000, intervalMs: 250, description: 'every service to be ready again' },
  );
  console.log(
    `Redis at maxmemory: ${answers.length} requests, ${accepted.length} answered 202, ` +
      `${answers.length - accepted.length} refused; statuses ${JSON.stringify(statuses)}; ` +
      `${missing.length} missing, ${notFinal.length} never final, ${endedByRedis.length} ended by Redis refusing, ` +
      `${tally.duplicated.length} delivered twice; worker log lines while refusing: ${linesWhileRefusing.join(', ')}; ` +
      `readiness while refusing: ${JSON.stringify(readinessWhileRefusing)}`,
  );

  expect(missing.slice(0, 5)).toEqual([]);
  expect(notFinal.slice(0, 5)).toEqual([]);
  expect(endedByRedis.slice(0, 5)).toEqual([]);
  expect(tally.lost.slice(0, 5)).toEqual([]);
  expect(tally.duplicated.length).toBeLessThanOrEqual(2 * CONCURRENCY);
  for (const readiness of readinessWhileRefusing as { body: { reason?: string } }[]) {
    expect(readiness.body.reason).toMatch(/OOM/);
  }
  expect(readyAfter).toEqual([200, 200, 200]);
  // Rate-limited: a few lines per kind of error and state change, not one per job.
  for (const lines of linesWhileRefusing) expect(lines).toBeLessThan(100);
}, 300_000);
