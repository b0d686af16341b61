import { SMS_QUEUE } from '@sms/queue';
import {
  countStatuses,
  finalStatuses,
  metricValue,
  postAll,
  queueDrained,
  startStack,
  Teardown,
  uniqueTexts,
  waitFor,
} from '@sms/testing';

// Fault: Kaarai reads every request and never answers (hangRate 1).
// Load: 20 messages for a worker with 4 send slots and a 500 ms call timeout; then, for a
//   worker whose calls would wait 60 s, 4 messages and a SIGTERM while their calls hang.
// Invariant: timeouts free the slots, so the worker keeps trying (Kaarai sees far more hung
//   requests than the worker has slots); once Kaarai answers again every message is delivered
//   exactly once (a hung request is never recorded, so there is nothing to duplicate). A worker
//   told to stop while its calls hang exits within SHUTDOWN_TIMEOUT_MS (3 s) and a margin, and
//   the messages it cut off are delivered exactly once by the next worker.
const CONCURRENCY = 4;
const SHUTDOWN_TIMEOUT_MS = 3_000;
const SHUTDOWN_MARGIN_MS = 3_000;

const stacks = new Teardown();
afterEach(() => stacks.run());

/** A stack whose one worker has `CONCURRENCY` send slots, stopped after the test. */
async function startHangingStack(workerEnv: Record<string, string>, apiEnv: Record<string, string> = {}) {
  const stack = await startStack({
    apiEnv,
    // Timeouts count as failures for the circuit breaker; keep its pause short.
    workerEnv: { WORKER_CONCURRENCY: String(CONCURRENCY), CIRCUIT_OPEN_MS: '500', ...workerEnv },
  });
  return stacks.add(stack, (it) => it.stop());
}

it('keeps trying through hung calls and delivers each message once when Kaarai answers', async () => {
  const { redis, simulator, api, prefix, workers } = await startHangingStack(
    { KAARAI_TIMEOUT_MS: '500' },
    { SEND_ATTEMPTS: '50' },
  );
  const worker = workers[0]!;
  await simulator.admin.setFaults({ hangRate: 1 });
  const texts = uniqueTexts('hang', 20);
  const ids = await postAll(api, texts);

  const hung = await waitFor(
    async () => {
      const stats = await simulator.admin.stats();
      return stats.hung >= 3 * CONCURRENCY && stats.hung;
    },
    { timeoutMs: 30_000, description: `more than ${3 * CONCURRENCY} hung requests` },
  );
  const recordedWhileHung = (await simulator.admin.stats()).recorded;
  await simulator.admin.clearFaults();

  const statuses = await finalStatuses(api, ids, 30_000);
  await queueDrained(redis.url, prefix, SMS_QUEUE, 10_000);
  const unknown = metricValue(await worker.metrics(), 'sms_provider_unknown_outcomes_total');
  console.log(
    `Kaarai hangs: ${hung} hung requests with ${CONCURRENCY} slots before the fault was cleared, ` +
      `${unknown} calls counted as unknown outcomes`,
  );
  expect(recordedWhileHung).toBe(0);
  expect(countStatuses(statuses)).toEqual({ accepted: 20 });
  expect(await simulator.admin.tally(texts)).toMatchObject({
    delivered: 20,
    duplicated: [],
    lost: [],
    unexpected: [],
  });
  expect(unknown).toBeGreaterThanOrEqual(3 * CONCURRENCY);
}, 90_000);

it('exits within the shutdown timeout on SIGTERM while its calls hang, losing nothing', async () => {
  // The jobs cut off by the timeout come back once their locks expire: 2 s instead of 30 s.
  const stack = await startHangingStack({
    KAARAI_TIMEOUT_MS: '60000',
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    JOB_LOCK_MS: '2000',
  });
  const { redis, simulator, api, prefix, workers } = stack;
  const worker = workers[0]!;
  await simulator.admin.setFaults({ hangRate: 1 });
  const texts = uniqueTexts('hang at shutdown', CONCURRENCY);
  await postAll(api, texts);
  await waitFor(async () => (await simulator.admin.stats()).hung >= CONCURRENCY, {
    timeoutMs: 20_000,
    description: `${CONCURRENCY} calls hanging`,
  });

  const stopped = await worker.stop('SIGTERM');
  console.log(
    `Kaarai hangs: SIGTERM with ${CONCURRENCY} calls hanging; exit code ${stopped.code} after ${stopped.elapsedMs} ms`,
  );
  expect(stopped.signal).toBeNull();
  expect(stopped.elapsedMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + SHUTDOWN_MARGIN_MS);

  await simulator.admin.clearFaults();
  await stack.addWorker();
  await queueDrained(redis.url, prefix, SMS_QUEUE, 30_000);
  expect(await simulator.admin.tally(texts)).toMatchObject({
    delivered: CONCURRENCY,
    duplicated: [],
    lost: [],
    unexpected: [],
  });
}, 60_000);
