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
// Load: 1,000 messages accepted before the first worker starts, every other one at-most-once.
// Invariant: no at-most-once message is delivered twice, and each ends `accepted` (and was
//   delivered) or `unknown` (its call was in flight at the kill: Kaarai may or may not have
//   it); at most those in flight end `unknown`. Every at-least-once message is delivered, none
//   lost, twice at most those in flight.
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

it('sends no at-most-once message twice after a SIGKILL, and loses no at-least-once one', async () => {
  const { redis, simulator, api, prefix } = stack;
  const atMostOnce = uniqueTexts('amo-kill', MESSAGES / 2);
  const atLeastOnce = uniqueTexts('alo-kill', MESSAGES / 2);
  const [amoIds] = await Promise.all([
    postAll(api, atMostOnce, { delivery: 'at-most-once' }),
    postAll(api, atLeastOnce),
  ]);

  await simulator.admin.setFaults({ latencyMs: 300 });
  const first = await stack.addWorker();
  await waitFor(async () => (await simulator.admin.stats()).recorded >= 300, {
    timeoutMs: 30_000,
    description: '300 messages delivered before the kill',
  });

  await first.kill();
  const inFlight = (await queueJobCounts(redis.url, prefix, SMS_QUEUE)).active;

  await stack.addWorker();
  await queueDrained(redis.url, prefix, SMS_QUEUE, 60_000);
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
