import { SMS_QUEUE } from '@sms/queue';
import {
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
// Load: 1,000 messages accepted by the API before the first worker starts.
// Invariant: all 1,000 are delivered; none is lost; a message is delivered twice only if it was
//   in flight at the kill, so duplicates <= jobs active at the kill (<= the concurrency).
// BullMQ gives a killed worker's jobs back only once their locks have expired and a stalled-jobs
// check has run: JOB_LOCK_MS sets both, 5 s here instead of 30 s, so that the test waits seconds.
const MESSAGES = 1_000;
const CONCURRENCY = 100;
const JOB_LOCK_MS = 5_000;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    workers: 0,
    workerEnv: { WORKER_CONCURRENCY: String(CONCURRENCY), JOB_LOCK_MS: String(JOB_LOCK_MS) },
  });
}, 60_000);
afterAll(() => stack?.stop());

it('delivers every message after a SIGKILL, twice at most those in flight at the kill', async () => {
  const { redis, simulator, api, prefix } = stack;
  const texts = uniqueTexts('sigkill', MESSAGES);
  await postAll(api, texts);

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
