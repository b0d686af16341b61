import { isFinalStatus, type MessageStatus } from '@sms/contracts';
import {
  type ApiProcess,
  FAST_RETRIES,
  mapConcurrently,
  newPrefix,
  postContinuously,
  type RedisSentinelSet,
  type RunningSimulator,
  startApiProcess,
  startRedisSentinel,
  startSimulator,
  startWorkerProcess,
  Teardown,
  type WorkerProcess,
  waitFor,
} from '@sms/testing';

// Fault: the Redis primary of a Sentinel set is killed with SIGKILL while clients post; the
//   sentinels (down-after-milliseconds 1000) promote a replica.
// Load: 4 clients posting back to back, each message with its own text and Idempotency-Key,
//   before, during and after the failover; an API and two workers with REDIS_SENTINELS.
// Invariant, with REDIS_WAIT_REPLICAS=1 (two replicas, so that the new primary has one to wait
//   for): the API accepts again once a replica is promoted, without a restart; the workers resume
//   on their own; every message answered 202 is delivered (the simulator's record) and reaches a
//   final status. A message answered 503 retried with its Idempotency-Key is accepted.
// Measured and logged: how long the API answered nothing but 503, and, with WAIT off (reported,
//   not asserted), how many messages answered 202 the failover lost.
const CLIENTS = 4;

const teardown = new Teardown();
let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = teardown.add(await startSimulator({ https: true }), (it) => it.stop());
});
afterAll(() => teardown.run());

/** The gateway on a fresh Sentinel set: the API and two workers, as processes. */
async function gatewayOn(sentinel: RedisSentinelSet, apiEnv: Record<string, string>) {
  const prefix = newPrefix();
  const api = teardown.add(
    await startApiProcess({ redisEnv: sentinel.env, prefix, env: { ENQUEUE_TIMEOUT_MS: '1500', ...apiEnv } }),
    (it) => it.stop(),
  );
  const workers: WorkerProcess[] = await Promise.all(
    [1, 2].map(() =>
      startWorkerProcess({
        redisEnv: sentinel.env,
        prefix,
        kaaraiUrl: simulator.httpsUrl!,
        caFile: simulator.caFile!,
        env: { ...FAST_RETRIES, JOB_LOCK_MS: '5000' },
      }).then((worker) => teardown.add(worker, (it) => it.stop())),
    ),
  );
  await Promise.all(workers.map((worker) => worker.ready()));
  return { api, workers };
}

/** The load of a test: CLIENTS clients posting until `stop()`, and the answers 202 since a time. */
function postLoad(api: ApiProcess, label: string) {
  const load = postContinuously(api, label, CLIENTS);
  return {
    ...load,
    accepted: (since = 0) => load.answers.filter((a) => a.status === 202 && a.startedAt >= since).length,
  };
}

/** Kills the primary once `before` messages are accepted; returns when `after` more were. */
async function failOverUnderLoad(sentinel: RedisSentinelSet, load: ReturnType<typeof postLoad>) {
  try {
    return await failOver(sentinel, load);
  } finally {
    // On failure too: the clients would otherwise post on for ever, keeping Jest busy.
    await load.stop();
  }
}

async function failOver(sentinel: RedisSentinelSet, load: ReturnType<typeof postLoad>) {
  await waitFor(() => load.accepted() >= 100, { timeoutMs: 30_000, description: '100 answers 202' });
  const old = await sentinel.killMaster();
  const killedAt = Date.now();
  const promoted = await sentinel.waitForFailover(old, 30_000);
  const promotedAt = Date.now();
  // Generous: on a loaded machine the remaining replica may take a while to resynchronise with
  // the new primary, and until it does a WAIT for one replica cannot be confirmed.
  await waitFor(() => load.accepted(killedAt) >= 50, {
    timeoutMs: 60_000,
    intervalMs: 50,
    description: '50 answers 202 to requests made after the kill',
  }).catch((error: Error) => {
    const refusals = new Map<string, number>();
    for (const a of load.answers.filter((answer) => answer.startedAt >= killedAt && answer.status !== 202)) {
      const key = `${a.status} ${a.message ?? ''}`.slice(0, 160);
      refusals.set(key, (refusals.get(key) ?? 0) + 1);
    }
    throw new Error(`${error.message}; answers since the kill: ${JSON.stringify([...refusals])}`);
  });
  const firstAcceptedAfter = Math.min(
    ...load.answers.filter((a) => a.status === 202 && a.startedAt >= killedAt).map((a) => a.at),
  );
  return { old, promoted, failoverMs: promotedAt - killedAt, unavailableMs: firstAcceptedAfter - killedAt };
}

/** What became of a message answered 202: final, still on its way, or unknown to the API. */
async function outcomeOf(api: ApiProcess, id: string): Promise<'final' | 'pending' | 'missing'> {
  const response = await api.get(`/v1/sms/${id}`);
  if (response.status === 404) return 'missing';
  const { status } = (await response.json()) as { status: string };
  return isFinalStatus(status as MessageStatus) ? 'final' : 'pending';
}

async function settledOutcomes(api: ApiProcess, ids: readonly string[]) {
  return waitFor(
    async () => {
      const outcomes = await mapConcurrently(ids, 16, (id) => outcomeOf(api, id));
      return outcomes.includes('pending') ? undefined : outcomes;
    },
    { timeoutMs: 60_000, intervalMs: 250, description: 'every accepted message to settle' },
  );
}

it('accepts again after a failover and delivers every message answered 202, with REDIS_WAIT_REPLICAS=1', async () => {
  const sentinel = teardown.add(await startRedisSentinel({ replicas: 2 }), (it) => it.stop());
  const { api, workers } = await gatewayOn(sentinel, {
    REDIS_WAIT_REPLICAS: '1',
    REDIS_WAIT_TIMEOUT_MS: '500',
  });
  const load = postLoad(api, 'failover wait');
  const { failoverMs, unavailableMs } = await failOverUnderLoad(sentinel, load);

  const accepted = load.answers.filter((a) => a.status === 202);
  const refused = load.answers.filter((a) => a.status === 503);
  const unexpected = load.answers.filter((a) => a.status !== 202 && a.status !== 503);
  expect(unexpected.slice(0, 5)).toEqual([]);

  // Workers resume by themselves: they deliver what was accepted on the new primary too.
  const outcomes = await settledOutcomes(
    api,
    accepted.map((a) => a.id!),
  );
  const missing = accepted.filter((_, i) => outcomes[i] === 'missing').map((a) => a.text);
  await waitFor(async () => (await simulator.admin.tally(accepted.map((a) => a.text))).lost.length === 0, {
    timeoutMs: 30_000,
    intervalMs: 250,
    description: 'every accepted message to be delivered',
  }).catch(() => {});
  const tally = await simulator.admin.tally(accepted.map((a) => a.text));
  // A worker's readiness connection is idle between probes and may still be finding the new
  // primary when the last message arrives: it must become ready again by itself.
  for (const worker of workers) {
    await waitFor(async () => (await worker.readyz()).status === 200, {
      timeoutMs: 20_000,
      intervalMs: 250,
      description: 'the worker to report ready on the new primary',
    });
  }

  const retried = await mapConcurrently(refused, 8, async ({ text }) => {
    const response = await api.post({ to: '573001234567', text }, { 'idempotency-key': text });
    return response.status;
  });
  console.log(
    `Sentinel failover with REDIS_WAIT_REPLICAS=1: replica promoted ${failoverMs} ms after the kill; ` +
      `API answered only 503 for ${unavailableMs} ms; ${load.answers.length} requests, ${accepted.length} ` +
      `answered 202, ${refused.length} answered 503; lost of those answered 202: ${tally.lost.length + missing.length}; ` +
      `delivered twice: ${tally.duplicated.length}`,
  );
  expect(missing).toEqual([]);
  expect(tally).toMatchObject({ delivered: accepted.length, lost: [] });
  expect(retried.filter((status) => status !== 202)).toEqual([]);
}, 120_000);

// With WAIT off the API answers 202 as soon as the primary holds a message; what the replica
// had not received when the primary died is lost. On one machine replication is nearly
// instant, so the loss is usually 0: this reports it, it does not assert it.
it('reports what a failover loses with REDIS_WAIT_REPLICAS=0', async () => {
  const sentinel = teardown.add(await startRedisSentinel({ replicas: 1 }), (it) => it.stop());
  const { api } = await gatewayOn(sentinel, {});
  const load = postLoad(api, 'failover nowait');
  const { unavailableMs } = await failOverUnderLoad(sentinel, load);

  const accepted = load.answers.filter((a) => a.status === 202);
  const outcomes = await settledOutcomes(
    api,
    accepted.map((a) => a.id!),
  );
  const missing = outcomes.filter((outcome) => outcome === 'missing').length;
  const tally = await simulator.admin.tally(accepted.map((a) => a.text));
  console.log(
    `Sentinel failover with REDIS_WAIT_REPLICAS=0: API answered only 503 for ${unavailableMs} ms; ` +
      `${accepted.length} answered 202, of which ${missing} unknown to the API afterwards and ` +
      `${tally.lost.length} never delivered (lost); delivered twice: ${tally.duplicated.length}`,
  );
  expect(accepted.length).toBeGreaterThan(0);
}, 120_000);
