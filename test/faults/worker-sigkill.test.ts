import { SMS_QUEUE } from '@sms/queue';
import {
  countStatuses,
  finalStatuses,
  postAll,
  queueDrained,
  queueJobCounts,
  type Stack,
  startStack,
  uniqueTexts,
  waitFor,
} from '@sms/testing';

// Fault: the only worker process is killed with SIGKILL while about a hundred sends are in
//   flight (Kaarai answers after 300 ms, the worker sends 100 at a time); a new worker process
//   is started at once.
// Load: 1,000 messages accepted by the API before the first worker starts; in the second test,
//   every other one at-most-once.
// Invariant: every at-least-once message is delivered, none lost, twice only if it was in
//   flight at the kill, so duplicates <= jobs active at the kill (<= the concurrency). No
//   at-most-once message is delivered twice: each ends `accepted` (and was delivered) or
//   `unknown` (its call was in flight at the kill: Kaarai may or may not have it), and at most
//   those in flight end `unknown`.
// BullMQ gives a killed worker's jobs back only once their locks have expired and a stalled-jobs
// check has run: JOB_LOCK_MS sets both, 5 s here instead of 30 s, so that the test waits seconds.
const MESSAGES = 1_000;
const CONCURRENCY = 100;
const JOB_LOCK_MS = 5_000;

// Each test has a stack of its own: the simulator's record of deliveries starts empty and no
// worker runs until the test starts the first.
let stack: Stack;

beforeEach(async () => {
  stack = await startStack({
    workers: 0,
    workerEnv: { WORKER_CONCURRENCY: String(CONCURRENCY), JOB_LOCK_MS: String(JOB_LOCK_MS) },
  });
}, 60_000);
afterEach(() => stack?.stop());

/**
 * With the messages waiting, starts a worker, kills it once 300 are delivered, starts another
 * and waits until the queue is empty. Resolves with the jobs active at the kill (in flight).
 */
async function killTheWorkerMidFlight(): Promise<{
  inFlight: number;
  deliveredAtKill: number;
  killedAt: number;
}> {
  const { redis, simulator, prefix } = stack;
  await simulator.admin.setFaults({ latencyMs: 300 });
  const first = await stack.addWorker();
  await waitFor(async () => (await simulator.admin.stats()).recorded >= 300, {
    timeoutMs: 30_000,
    description: '300 messages delivered before the kill',
  });

  await first.kill();
  const killedAt = Date.now();
  // Nothing of the killed worker moves its jobs any more: those still active were in flight.
  const inFlight = (await queueJobCounts(redis.url, prefix, SMS_QUEUE)).active;
  const deliveredAtKill = (await simulator.admin.stats()).recorded;

  await stack.addWorker();
  await queueDrained(redis.url, prefix, SMS_QUEUE, 60_000);
  return { inFlight, deliveredAtKill, killedAt };
}

it('delivers every message after a SIGKILL, twice at most those in flight at the kill', async () => {
  const { simulator, api } = stack;
  const texts = uniqueTexts('sigkill', MESSAGES);
  await postAll(api, texts);

  const { inFlight, deliveredAtKill, killedAt } = await killTheWorkerMidFlight();
  const recoveredInMs = Date.now() - killedAt;

  const tally = await simulator.admin.tally(texts);
  console.log(
    `worker SIGKILL: ${inFlight} jobs active at the kill (${deliveredAtKill} recorded by then), ` +
      `${tally.duplicated.length} delivered twice, ${tally.lost.length} lost, ` +
      `all delivered ${recoveredInMs} ms after the kill`,
  );
  expect(tally.lost).toEqual([]);
  expect(tally.unexpected).toEqual([]);
  expect(tally.delivered).toBe(MESSAGES);
  expect(inFlight).toBeLessThanOrEqual(CONCURRENCY);
  expect(tally.duplicated.length).toBeLessThanOrEqual(inFlight);
}, 120_000);

it('sends no at-most-once message twice after a SIGKILL, and loses no at-least-once one', async () => {
  const { simulator, api } = stack;
  const atMostOnce = uniqueTexts('amo-kill', MESSAGES / 2);
  const atLeastOnce = uniqueTexts('alo-kill', MESSAGES / 2);
  const [amoIds] = await Promise.all([
    postAll(api, atMostOnce, { delivery: 'at-most-once' }),
    postAll(api, atLeastOnce),
  ]);

  const { inFlight } = await killTheWorkerMidFlight();
  const amoStatuses = await finalStatuses(api, amoIds, 30_000);

  const amo = await simulator.admin.tally(atMostOnce);
  const alo = await simulator.admin.tally(atLeastOnce);
  const counts = countStatuses(amoStatuses);
  console.log(
    `worker SIGKILL, ${inFlight} jobs active at the kill: at-most-once ${JSON.stringify(counts)}, ` +
      `${amo.delivered} delivered, ${amo.duplicated.length} twice; at-least-once ` +
      `${alo.delivered} delivered, ${alo.duplicated.length} twice, ${alo.lost.length} lost`,
  );
  expect(amo.duplicated).toEqual([]);
  expect(counts).toEqual({ accepted: expect.any(Number), unknown: expect.any(Number) });
  expect(counts.unknown).toBeLessThanOrEqual(inFlight);
  // Every message reported accepted is in Kaarai's record.
  expect(amo.delivered).toBeGreaterThanOrEqual(counts.accepted!);
  expect(alo.lost).toEqual([]);
  expect(alo.delivered).toBe(MESSAGES / 2);
  expect(alo.duplicated.length).toBeLessThanOrEqual(inFlight);
  expect((await simulator.admin.tally([...atMostOnce, ...atLeastOnce])).unexpected).toEqual([]);
}, 120_000);
