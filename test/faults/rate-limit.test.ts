import { type RunningSimulator, startApiProcess, startWorkerProcess, type TestRedis } from '@sms/testing';
import {
  FAST_RETRIES,
  newPrefix,
  postAll,
  queueDrained,
  startRedisAndSimulator,
  Teardown,
  uniqueTexts,
} from './fault-fixture';

// Fault: none; the limit under test is ours. Three worker processes share one global rate
//   limit of 50 messages a second (RATE_LIMIT_PER_SECOND, kept in Redis by BullMQ's limiter).
// Load: 400 messages posted at once (the API takes them far faster than 50/s).
// Invariant: Kaarai receives them at 50/s within 10 %, measured from the times the simulator
//   recorded, leaving out the first and the last second (connections to Kaarai opening while the
//   load is posted, the queue running dry); every message is delivered exactly once.
const MESSAGES = 400;
const RATE = 50;

const teardown = new Teardown();
let redis: TestRedis;
let simulator: RunningSimulator;

beforeAll(async () => {
  ({ redis, simulator } = await startRedisAndSimulator(teardown));
});
afterAll(() => teardown.run());

/**
 * Messages per second, as the slope of a least-squares line through (time, count so far): a
 * limiter that lets each second's quota through in a burst still gives the true rate.
 */
function ratePerSecond(times: readonly number[]): number {
  const n = times.length;
  const meanT = times.reduce((sum, t) => sum + t, 0) / n;
  const meanI = (n - 1) / 2;
  let covariance = 0;
  let variance = 0;
  times.forEach((t, i) => {
    covariance += (t - meanT) * (i - meanI);
    variance += (t - meanT) ** 2;
  });
  return (covariance / variance) * 1000;
}

it('holds three workers together to the global rate limit', async () => {
  const prefix = newPrefix();
  const api = teardown.add(await startApiProcess({ redisUrl: redis.url, prefix }), (it) => it.stop());
  const workers = await Promise.all(
    [1, 2, 3].map(() =>
      startWorkerProcess({
        redisUrl: redis.url,
        prefix,
        kaaraiUrl: simulator.httpsUrl!,
        caFile: simulator.caFile!,
        env: { ...FAST_RETRIES, RATE_LIMIT_PER_SECOND: String(RATE) },
      }).then((worker) => teardown.add(worker, (it) => it.stop())),
    ),
  );
  // All three are running before the load arrives: their start-up competes for the CPU with the
  // sends, which would bunch up the first seconds' arrivals and measure the machine, not the limit.
  await Promise.all(workers.map((worker) => worker.ready()));
  const texts = uniqueTexts('rate', MESSAGES);
  await postAll(api, texts);
  await queueDrained(redis.url, prefix, 60_000);

  const ours = new Set(texts);
  const times = (await simulator.admin.messages())
    .filter((message) => ours.has(message.text))
    .map((message) => Date.parse(message.receivedAt))
    .sort((a, b) => a - b);
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const middle = times.filter((t) => t >= first + 1_000 && t <= last - 1_000);
  // A drain too fast to have a middle is measured whole, so the failure shows the real rate.
  const measured = middle.length >= 2 ? middle : times;
  const rate = ratePerSecond(measured);
  const perSecond = Array.from({ length: Math.floor((last - first) / 1_000) + 1 }, () => 0);
  for (const t of times) perSecond[Math.floor((t - first) / 1_000)]! += 1;
  console.log(
    `rate limit: ${times.length} messages over ${last - first} ms; ${rate.toFixed(1)}/s ` +
      `measured over ${measured.length} of them (limit ${RATE}/s); per second from the first: ${perSecond.join(' ')}`,
  );
  expect(await simulator.admin.tally(texts)).toMatchObject({
    delivered: MESSAGES,
    duplicated: [],
    lost: [],
    unexpected: [],
  });
  expect(Math.abs(rate - RATE) / RATE).toBeLessThanOrEqual(0.1);
}, 90_000);
