import {
  queueJobCounts,
  type RunningSimulator,
  startApiProcess,
  startWorkerProcess,
  type TestRedis,
  waitFor,
} from '@sms/testing';
import {
  FAST_RETRIES,
  newPrefix,
  postAll,
  queueDrained,
  SEND_QUEUE,
  startRedisAndSimulator,
  Teardown,
  uniqueTexts,
} from './fault-fixture';

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

const teardown = new Teardown();
let redis: TestRedis;
let simulator: RunningSimulator;

beforeAll(async () => {
  ({ redis, simulator } = await startRedisAndSimulator(teardown));
});
afterAll(() => teardown.run());

it('delivers every message after a SIGKILL, twice at most those in flight at the kill', async () => {
  const prefix = newPrefix();
  const api = teardown.add(await startApiProcess({ redisUrl: redis.url, prefix }), (it) => it.stop());
  const texts = uniqueTexts('sigkill', MESSAGES);
  await postAll(api, texts);

  await simulator.admin.setFaults({ latencyMs: 300 });
  const workerSettings = {
    redisUrl: redis.url,
    prefix,
    kaaraiUrl: simulator.httpsUrl!,
    caFile: simulator.caFile!,
    env: { ...FAST_RETRIES, WORKER_CONCURRENCY: String(CONCURRENCY), JOB_LOCK_MS: String(JOB_LOCK_MS) },
  };
  const first = teardown.add(await startWorkerProcess(workerSettings), (it) => it.kill());
  await first.ready();
  await waitFor(async () => (await simulator.admin.stats()).recorded >= 300, {
    timeoutMs: 30_000,
    description: '300 messages delivered before the kill',
  });

  await first.kill();
  const killedAt = Date.now();
  // Nothing of the killed worker moves its jobs any more: those still active were in flight.
  const inFlight = (await queueJobCounts(redis.url, prefix, SEND_QUEUE)).active;
  const deliveredAtKill = (await simulator.admin.stats()).recorded;

  const second = teardown.add(await startWorkerProcess(workerSettings), (it) => it.stop());
  await second.ready();
  await queueDrained(redis.url, prefix, 60_000);
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
