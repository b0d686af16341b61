import { SMS_QUEUE } from '@sms/queue';
import {
  deliveryRate,
  perSecond,
  postAll,
  queueDrained,
  type Stack,
  startStack,
  uniqueTexts,
} from '@sms/testing';

// Fault: none; the limit under test is ours. Three worker processes share one global rate
//   limit of 50 messages a second (RATE_LIMIT_PER_SECOND, kept in Redis by BullMQ's limiter).
// Load: 400 messages posted at once (the API takes them far faster than 50/s).
// Invariant: Kaarai receives them at 50/s within 10 %, measured from the times the simulator
//   recorded, leaving out the first and the last second (connections to Kaarai opening while the
//   load is posted, the queue running dry); every message is delivered exactly once.
const MESSAGES = 400;
const RATE = 50;

let stack: Stack;

// All three workers are running before the load arrives: their start-up competes for the CPU
// with the sends, which would bunch up the first seconds' arrivals and measure the machine, not
// the limit.
beforeAll(async () => {
  stack = await startStack({ workers: 3, workerEnv: { RATE_LIMIT_PER_SECOND: String(RATE) } });
}, 60_000);
afterAll(() => stack?.stop());

it('holds three workers together to the global rate limit', async () => {
  const { redis, simulator, api, prefix } = stack;
  const texts = uniqueTexts('rate', MESSAGES);
  await postAll(api, texts);
  await queueDrained(redis.url, prefix, SMS_QUEUE, 60_000);

  const ours = new Set(texts);
  const times = (await simulator.admin.messages())
    .filter((message) => ours.has(message.text))
    .map((message) => Date.parse(message.receivedAt))
    .sort((a, b) => a - b);
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const inMiddle = (t: number) => t >= first + 1_000 && t <= last - 1_000;
  const middle = times.filter(inMiddle);
  // A drain too fast to have a middle is measured whole, so the failure shows the real rate.
  const measured = middle.length >= 2 ? middle : times;
  const rate = deliveryRate(times, middle.length >= 2 ? inMiddle : () => true);
  console.log(
    `rate limit: ${times.length} messages over ${last - first} ms; ${rate.toFixed(1)}/s ` +
      `measured over ${measured.length} of them (limit ${RATE}/s); per second from the first: ${perSecond(times).join(' ')}`,
  );
  expect(await simulator.admin.tally(texts)).toMatchObject({
    delivered: MESSAGES,
    duplicated: [],
    lost: [],
    unexpected: [],
  });
  expect(Math.abs(rate - RATE) / RATE).toBeLessThanOrEqual(0.1);
}, 90_000);
