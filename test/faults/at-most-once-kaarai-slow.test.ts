import { SMS_QUEUE } from '@sms/queue';
import {
  countStatuses,
  finalStatuses,
  postAll,
  queueDrained,
  startStack,
  Teardown,
  uniqueTexts,
} from '@sms/testing';

// Fault: Kaarai takes every request and answers none in time: it records each message at once
//   and answers after 1,500 ms, past KAARAI_TIMEOUT_MS (500 ms), and a third of the requests it
//   reads and never answers (hangRate 0.3, nothing recorded); then it answers normally again.
// Load: 40 messages for a worker with 4 send slots, half of them at-most-once.
// Invariant: no at-most-once message is delivered twice: each ends `unknown` (its call timed out
//   after the request was written) or `accepted`, and none is retried after such a timeout.
//   Every at-least-once message is delivered once Kaarai answers again, none lost (timeouts of
//   calls Kaarai had recorded make duplicates: that is the mode's price).
const CONCURRENCY = 4;
const MESSAGES = 40;

const stacks = new Teardown();
afterEach(() => stacks.run());

it('ends at-most-once messages unknown after a timeout, and delivers at-least-once ones', async () => {
  const stack = await startStack({
    apiEnv: { SEND_ATTEMPTS: '50' },
    // The circuit stays closed: an open one lets one probe a second through, and the test is
    // about what each timed-out call leads to, not about how fast the circuit lets calls through.
    workerEnv: {
      WORKER_CONCURRENCY: String(CONCURRENCY),
      KAARAI_TIMEOUT_MS: '500',
      CIRCUIT_MIN_CALLS: '100000',
      RETRY_BASE_DELAY_MS: '100',
      RETRY_MAX_DELAY_MS: '1000',
    },
  });
  stacks.add(stack, (it) => it.stop());
  const { redis, simulator, api, prefix } = stack;
  await simulator.admin.setFaults({ latencyMs: 1_500, hangRate: 0.3 });
  const atMostOnce = uniqueTexts('amo-slow', MESSAGES / 2);
  const atLeastOnce = uniqueTexts('alo-slow', MESSAGES / 2);
  const [amoIds, aloIds] = await Promise.all([
    postAll(api, atMostOnce, { delivery: 'at-most-once' }),
    postAll(api, atLeastOnce),
  ]);

  // Every at-most-once message has been tried once, and ended, before Kaarai recovers.
  const amoStatuses = await finalStatuses(api, amoIds, 60_000);
  await simulator.admin.clearFaults();
  const aloStatuses = await finalStatuses(api, aloIds, 60_000);
  await queueDrained(redis.url, prefix, SMS_QUEUE, 10_000);

  const amo = await simulator.admin.tally(atMostOnce);
  const alo = await simulator.admin.tally(atLeastOnce);
  const amoCounts = countStatuses(amoStatuses);
  console.log(
    `Kaarai slower than KAARAI_TIMEOUT_MS: at-most-once ${JSON.stringify(amoCounts)}, ` +
      `${amo.delivered} delivered, ${amo.duplicated.length} twice; at-least-once ` +
      `${JSON.stringify(countStatuses(aloStatuses))}, ${alo.delivered} delivered, ` +
      `${alo.duplicated.length} twice, ${alo.lost.length} lost`,
  );
  expect(amo.duplicated).toEqual([]);
  expect(amoCounts).toEqual({ unknown: MESSAGES / 2 });
  expect(alo.lost).toEqual([]);
  expect(alo.delivered).toBe(MESSAGES / 2);
  expect(Object.keys(countStatuses(aloStatuses))).toEqual(['accepted']);
  expect((await simulator.admin.tally([...atMostOnce, ...atLeastOnce])).unexpected).toEqual([]);
}, 150_000);
