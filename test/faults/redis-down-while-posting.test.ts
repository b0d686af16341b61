import { SMS_QUEUE } from '@sms/queue';
import {
  mapConcurrently,
  postContinuously,
  queueDrained,
  type RedisServer,
  recordedAmong,
  type Stack,
  startStack,
  waitFor,
} from '@sms/testing';

// Fault: Redis is killed with SIGKILL while clients keep posting, stays down for at least
//   2 s, and is restarted from its append-only file (appendfsync always).
// Load: 8 clients posting back to back, each message with its own text and Idempotency-Key,
//   before, during and after the outage (a few hundred requests answered 202, more 503).
// Invariant: every request is answered 202, or 503 with code 5030, within 2 s (the API must
//   give up on Redis after ENQUEUE_TIMEOUT_MS, 1.5 s). Every message answered 202 is delivered
//   exactly once by a worker started afterwards. A message answered 503 is not delivered, except
//   one whose enqueue was in flight at the crash: Redis may have stored it and died before
//   answering, which the API cannot tell from a failed enqueue, so its 503 says that the message
//   may have been stored. Its client, retrying with the same Idempotency-Key as told, gets 202
//   and no second copy: in the end every message is delivered exactly once.
const ANSWER_BOUND_MS = 2_000;
const CLIENTS = 8;

let stack: Stack<RedisServer>;

// The worker starts once the posting is over.
beforeAll(async () => {
  stack = await startStack({
    redisServer: { appendfsync: 'always' },
    apiEnv: { ENQUEUE_TIMEOUT_MS: '1500' },
    workers: 0,
    workerEnv: { WORKER_CONCURRENCY: '64' },
  });
}, 60_000);
afterAll(() => stack?.stop());

it('answers 202 or 503 within 2 s through a Redis crash, and delivers every message once', async () => {
  const { redis, simulator, api, prefix } = stack;
  const load = postContinuously(api, 'redis down', CLIENTS);
  const { answers } = load;
  const count = (status: number, since = 0) =>
    answers.filter((a) => a.status === status && a.at >= since).length;

  let crashedAt = 0;
  try {
    await waitFor(() => count(202) >= 200, { timeoutMs: 30_000, description: '200 answers 202' });
    await redis.crash();
    crashedAt = Date.now();
    await waitFor(() => count(503, crashedAt) >= 20 && Date.now() - crashedAt >= 2_000, {
      timeoutMs: 30_000,
      description: 'answers 503 while Redis is down',
    });
    await redis.restart();
    const restartedAt = Date.now();
    await waitFor(() => count(202, restartedAt) >= 200, {
      timeoutMs: 30_000,
      description: '200 answers 202 after the restart',
    });
  } finally {
    await load.stop();
  }

  const slow = answers.filter((a) => a.ms >= ANSWER_BOUND_MS);
  const unexpected = answers.filter((a) => a.status !== 202 && !(a.status === 503 && a.code === 5030));
  const accepted = answers.filter((a) => a.status === 202).map((a) => a.text);
  const refused = answers.filter((a) => a.status === 503);
  const slowest = Math.round(Math.max(...answers.map((a) => a.ms)));
  expect(unexpected.slice(0, 5)).toEqual([]);
  expect(slow.slice(0, 5)).toEqual([]);

  await stack.addWorker();
  await queueDrained(redis.url, prefix, SMS_QUEUE, 60_000);
  const tally = await simulator.admin.tally(accepted);
  const refusedButStored = new Set(
    await recordedAmong(
      simulator.admin,
      refused.map((a) => a.text),
    ),
  );
  const inFlightAtCrash = refused.filter((a) => a.startedAt <= crashedAt).map((a) => a.text);
  const unsure = refused.filter((a) => a.message?.includes('may have been stored')).map((a) => a.text);
  console.log(
    `Redis down while posting: ${answers.length} requests, ${accepted.length} answered 202, ` +
      `${refused.length} answered 503 (${inFlightAtCrash.length} of them in flight at the crash, ` +
      `${refusedButStored.size} of those delivered all the same, ${unsure.length} 503s saying the ` +
      `message may have been stored); slowest answer ${slowest} ms`,
  );
  expect(tally).toMatchObject({ delivered: accepted.length, duplicated: [], lost: [] });
  expect([...refusedButStored].filter((text) => !inFlightAtCrash.includes(text))).toEqual([]);
  expect([...refusedButStored].filter((text) => !unsure.includes(text))).toEqual([]);

  // Each client answered 503 tries again with the same key, as the Retry-After header tells it.
  const retried = await mapConcurrently(refused, 16, async ({ text }) => {
    const response = await api.post({ to: '573001234567', text }, { 'idempotency-key': text });
    return response.status;
  });
  expect(retried.filter((status) => status !== 202)).toEqual([]);
  await queueDrained(redis.url, prefix, SMS_QUEUE, 60_000);
  expect(await simulator.admin.tally(answers.map((a) => a.text))).toMatchObject({
    delivered: answers.length,
    duplicated: [],
    lost: [],
    unexpected: [],
  });
}, 150_000);
