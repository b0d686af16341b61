import { DEAD_LETTER_QUEUE, SMS_QUEUE } from '@sms/queue';
import {
  finalStatuses,
  postAll,
  queueDrained,
  queueJobCounts,
  readQueueJob,
  recordedAmong,
  type Stack,
  startStack,
  uniqueTexts,
} from '@sms/testing';

// Fault: Kaarai answers every request 503/5030 for 32 s, longer than the shortest validity a
//   message may have (validFor: 30 s).
// Load: 5 messages with validFor 30 and 1 with validFor 3600, posted at the start of the outage,
//   with attempts enough to outlast it.
// Invariant: the 5 short-lived messages end `expired`, are dead-lettered with reason `expired`
//   and are never sent to Kaarai; the long-lived one is delivered exactly once after the outage.
// The 30 s floor of validFor sets this test's length.
const OUTAGE_MS = 32_000;
const SHORT_LIVED = 5;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    apiEnv: { SEND_ATTEMPTS: '100' },
    workerEnv: { RETRY_BASE_DELAY_MS: '50', RETRY_MAX_DELAY_MS: '1000', CIRCUIT_OPEN_MS: '500' },
  });
}, 60_000);
afterAll(() => stack?.stop());

it('lets messages expire during an outage without ever sending them', async () => {
  const { redis, simulator, api, prefix } = stack;
  await simulator.admin.setFaults({ outageMs: OUTAGE_MS });
  const outageStart = Date.now();
  const shortTexts = uniqueTexts('expires', SHORT_LIVED);
  const [longText] = uniqueTexts('outlives the outage', 1);
  const [shortIds, [longId]] = await Promise.all([
    postAll(api, shortTexts, { validFor: 30 }),
    postAll(api, [longText!], { validFor: 3_600 }),
  ]);
  // The short-lived messages must expire before the outage ends for the test to mean anything.
  expect(Date.now() - outageStart).toBeLessThan(OUTAGE_MS - 30_000);

  const statuses = await finalStatuses(api, [...shortIds, longId!], OUTAGE_MS + 30_000);
  await queueDrained(redis.url, prefix, SMS_QUEUE, 10_000);
  const shortStatuses = shortIds.map((id) => statuses.get(id));
  const sentShort = await recordedAmong(simulator.admin, shortTexts);
  const deadLetters = await Promise.all(
    shortIds.map((id) => readQueueJob(redis.url, prefix, DEAD_LETTER_QUEUE, id)),
  );
  console.log(
    `expiry during an outage: short-lived ${JSON.stringify(shortStatuses)}, ` +
      `long-lived ${statuses.get(longId!)}, ${sentShort.length} short-lived sent`,
  );
  expect(sentShort).toEqual([]);
  expect(shortStatuses).toEqual(shortIds.map(() => 'expired'));
  expect(deadLetters.map((job) => job?.name)).toEqual(shortIds.map(() => 'expired'));
  expect((await queueJobCounts(redis.url, prefix, DEAD_LETTER_QUEUE)).total).toBe(SHORT_LIVED);
  expect(statuses.get(longId!)).toBe('accepted');
  expect(await simulator.admin.tally([longText!])).toMatchObject({ delivered: 1, duplicated: [], lost: [] });
}, 120_000);
