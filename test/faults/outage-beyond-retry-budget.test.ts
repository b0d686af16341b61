import { DEAD_LETTER_QUEUE, SMS_QUEUE } from '@sms/queue';
import {
  countStatuses,
  finalStatuses,
  postAll,
  queueDrained,
  queueJobCounts,
  type Stack,
  startStack,
  uniqueTexts,
} from '@sms/testing';

// Fault: Kaarai answers every request 503/5030 for 6 s, far longer than a message's whole retry
//   budget (3 attempts, retries after at most 200 ms: well under 1 s).
// Load: 100 messages posted at the start of the outage.
// Invariant: the worker's circuit breaker stops sending while Kaarai fails, so the outage does
//   not use up attempts: afterwards all 100 are delivered exactly once, none ends `failed` or
//   `dead_lettered`, and the dead-letter queue is empty.
const MESSAGES = 100;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    apiEnv: { SEND_ATTEMPTS: '3' },
    workerEnv: {
      RETRY_BASE_DELAY_MS: '50',
      RETRY_MAX_DELAY_MS: '200',
      CIRCUIT_FAILURE_RATIO: '0.5',
      CIRCUIT_MIN_CALLS: '20',
      CIRCUIT_WINDOW_MS: '10000',
      CIRCUIT_OPEN_MS: '500',
    },
  });
}, 60_000);
afterAll(() => stack?.stop());

it('rides out an outage longer than the retry budget without failing a message', async () => {
  const { redis, simulator, api, prefix } = stack;
  await simulator.admin.setFaults({ outageMs: 6_000 });
  const texts = uniqueTexts('long outage', MESSAGES);
  const ids = await postAll(api, texts);

  const statuses = await finalStatuses(api, ids, 45_000);
  await queueDrained(redis.url, prefix, SMS_QUEUE, 10_000);
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
