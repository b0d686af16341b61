import {
  queueJobCounts,
  type RunningSimulator,
  startApiProcess,
  startWorkerProcess,
  type TestRedis,
} from '@sms/testing';
import {
  countStatuses,
  DEAD_LETTER_QUEUE,
  finalStatuses,
  newPrefix,
  postAll,
  queueDrained,
  startRedisAndSimulator,
  Teardown,
  uniqueTexts,
} from './fault-fixture';

// Fault: Kaarai answers every request 503/5030 for 6 s, far longer than a message's whole retry
//   budget (3 attempts, retries after at most 200 ms: well under 1 s).
// Load: 100 messages posted at the start of the outage.
// Invariant: the worker's circuit breaker stops sending while Kaarai fails, so the outage does
//   not use up attempts: afterwards all 100 are delivered exactly once, none ends `failed` or
//   `dead_lettered`, and the dead-letter queue is empty.
const MESSAGES = 100;

const teardown = new Teardown();
let redis: TestRedis;
let simulator: RunningSimulator;

beforeAll(async () => {
  ({ redis, simulator } = await startRedisAndSimulator(teardown));
});
afterAll(() => teardown.run());

it('rides out an outage longer than the retry budget without failing a message', async () => {
  const prefix = newPrefix();
  const api = teardown.add(
    await startApiProcess({ redisUrl: redis.url, prefix, env: { SEND_ATTEMPTS: '3' } }),
    (it) => it.stop(),
  );
  const worker = teardown.add(
    await startWorkerProcess({
      redisUrl: redis.url,
      prefix,
      kaaraiUrl: simulator.httpsUrl!,
      caFile: simulator.caFile!,
      env: {
        RETRY_BASE_DELAY_MS: '50',
        RETRY_MAX_DELAY_MS: '200',
        CIRCUIT_FAILURE_RATIO: '0.5',
        CIRCUIT_MIN_CALLS: '20',
        CIRCUIT_WINDOW_MS: '10000',
        CIRCUIT_OPEN_MS: '500',
      },
    }),
    (it) => it.stop(),
  );
  await worker.ready();

  await simulator.admin.setFaults({ outageMs: 6_000 });
  const texts = uniqueTexts('long outage', MESSAGES);
  const ids = await postAll(api, texts);

  const statuses = await finalStatuses(api, ids, 45_000);
  await queueDrained(redis.url, prefix, 10_000);
  const stats = await simulator.admin.stats();
  console.log(
    `outage beyond the retry budget: statuses ${JSON.stringify(countStatuses(statuses))}, ` +
      `Kaarai answered 5030 ${stats.answers['5030'] ?? 0} times`,
  );
  expect(countStatuses(statuses)).toEqual({ accepted: MESSAGES });
  expect(await simulator.admin.tally(texts)).toMatchObject({
    delivered: MESSAGES,
    duplicated: [],
    lost: [],
    unexpected: [],
  });
  expect((await queueJobCounts(redis.url, prefix, DEAD_LETTER_QUEUE)).total).toBe(0);
}, 90_000);
