import { SMS_QUEUE } from '@sms/queue';
import {
  mapConcurrently,
  postAll,
  queueDrained,
  queueJobCounts,
  type Stack,
  startStack,
  uniqueTexts,
  waitFor,
} from '@sms/testing';

// Fault: SIGTERM reaches a busy worker process (50 sends in flight, Kaarai answers after
//   300 ms); a second worker is started after it exited.
// Load: 300 messages accepted before the first worker starts.
// Invariant: the first worker finishes its sends in flight (each delivered message has its final
//   status when it exits, and it leaves no job active) and exits with code 0 within its grace
//   period; after the second worker, all 300 are delivered exactly once.
const MESSAGES = 300;
const GRACE_MS = 10_000;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    workers: 0,
    workerEnv: { WORKER_CONCURRENCY: '50', SHUTDOWN_TIMEOUT_MS: String(GRACE_MS) },
  });
}, 60_000);
afterAll(() => stack?.stop());

it('finishes the sends in flight on SIGTERM and exits 0; nothing is sent twice', async () => {
  const { redis, simulator, api, prefix } = stack;
  const texts = uniqueTexts('sigterm', MESSAGES);
  const ids = await postAll(api, texts);
  const idOf = new Map(texts.map((text, i) => [text, ids[i]!]));

  await simulator.admin.setFaults({ latencyMs: 300 });
  const first = await stack.addWorker();
  await waitFor(async () => (await simulator.admin.stats()).recorded >= 100, {
    timeoutMs: 30_000,
    description: '100 messages delivered before the SIGTERM',
  });

  const inFlightAtSignal = (await queueJobCounts(redis.url, prefix, SMS_QUEUE)).active;
  const stopped = await first.stop('SIGTERM');
  const afterExit = await queueJobCounts(redis.url, prefix, SMS_QUEUE);
  const deliveredByFirst = (await simulator.admin.messages()).map((m) => m.text);
  const statusesOfDelivered = await mapConcurrently(
    deliveredByFirst,
    16,
    async (text) => (await api.status(idOf.get(text)!)).status,
  );
  const notFinished = deliveredByFirst.filter((_, i) => statusesOfDelivered[i] !== 'accepted');
  console.log(
    `worker SIGTERM: ${inFlightAtSignal} jobs active at the signal; exit code ${stopped.code} after ` +
      `${stopped.elapsedMs} ms; ${deliveredByFirst.length} delivered by the first worker`,
  );
  expect(stopped).toMatchObject({ code: 0, signal: null });
  expect(stopped.elapsedMs).toBeLessThan(GRACE_MS);
  expect(afterExit.active).toBe(0);
  expect(notFinished).toEqual([]);

  await stack.addWorker();
  await queueDrained(redis.url, prefix, SMS_QUEUE, 60_000);
  expect(await simulator.admin.tally(texts)).toMatchObject({
    delivered: MESSAGES,
    duplicated: [],
    lost: [],
    unexpected: [],
  });
}, 120_000);
