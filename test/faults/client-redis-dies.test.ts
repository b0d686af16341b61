import { setTimeout as delay } from 'node:timers/promises';
import { SMS_QUEUE } from '@sms/queue';
import {
  FAULT_TEST_API_KEY,
  mapConcurrently,
  queueDrained,
  type RedisServerOptions,
  startStack,
  Teardown,
  uniqueTexts,
  waitFor,
} from '@sms/testing';
import { isSmsClientError, SmsClient } from '../../packages/client/src';

// Fault: Redis is killed with SIGKILL a third of the way into a stream of sends, stays down for
//   at least 2 s, and is restarted on the same data directory from its append-only file.
// Load: 300 messages sent through @sms/client at 30 a second, 4 at a time, each send with its own
//   Idempotency-Key, which the client reuses on its retries (of 503s, and of no answer); the
//   client's deadline, 20 s, outlasts the outage. The worker starts once the stream is over, so
//   that what is counted is what the client was told, not a worker caught by the crash.
// Invariant: no message is delivered twice, whatever the client was told. With `appendfsync
//   always`, every message the client resolved (was told sent) is delivered. With `everysec`,
//   Redis may lose what it took in the last 2 s before the crash (its file is written once a
//   second, and a write may wait up to 2 s behind a running fsync): every message resolved
//   before that, or after the restart, is delivered; the loss is printed. Messages the client
//   rejected (its deadline passed) are counted and printed.
const MESSAGES = 300;
const PER_SECOND = 30;
const IN_FLIGHT = 4;
const DOWN_MS = 2_000;

const teardown = new Teardown();
afterEach(() => teardown.run());

async function sendThroughCrash(appendfsync: NonNullable<RedisServerOptions['appendfsync']>, label: string) {
  const stack = teardown.add(
    await startStack({
      redisServer: { appendfsync },
      apiEnv: { ENQUEUE_TIMEOUT_MS: '1500' },
      workers: 0,
      workerEnv: { WORKER_CONCURRENCY: '32' },
    }),
    (it) => it.stop(),
  );
  const { redis, simulator, api, prefix } = stack;
  const client = new SmsClient({
    baseUrl: api.url,
    apiKey: FAULT_TEST_API_KEY,
    deadlineMs: 20_000,
    attemptTimeoutMs: 5_000,
    retry: { maxAttempts: 100, baseDelayMs: 100, maxDelayMs: 1_000 },
  });
  const texts = uniqueTexts(label, MESSAGES);
  const resolvedAt = new Map<string, number>();
  const sentAt = new Map<string, number>();
  const rejected = new Map<string, string>();
  const startedAt = Date.now();
  const stream = mapConcurrently(texts, IN_FLIGHT, async (text, index) => {
    // Pacing, not synchronisation: message i is due i/30 s into the stream.
    await delay(Math.max(0, startedAt + (index * 1_000) / PER_SECOND - Date.now()));
    sentAt.set(text, Date.now());
    try {
      await client.send({ to: '573001234567', text });
      resolvedAt.set(text, Date.now());
    } catch (error) {
      if (!isSmsClientError(error)) throw error;
      rejected.set(text, `${error.code} after ${error.attempts} attempts: ${error.message}`);
    }
  });

  await waitFor(() => resolvedAt.size >= MESSAGES / 3, {
    timeoutMs: 30_000,
    description: 'a third resolved',
  });
  await redis.crash();
  const crashedAt = Date.now();
  await waitFor(
    async () => Date.now() - crashedAt >= DOWN_MS && (await fetch(`${api.url}/readyz`)).status === 503,
    { timeoutMs: 30_000, description: 'the API to see Redis down for 2 s' },
  );
  await redis.restart();
  const restartedAt = Date.now();
  await stream;

  await stack.addWorker();
  await queueDrained(redis.url, prefix, SMS_QUEUE, 60_000);
  const tally = await simulator.admin.tally(texts);
  const lost = new Set(tally.lost);
  const resolvedLost = [...resolvedAt.keys()].filter((text) => lost.has(text));
  const resolvedAfterRestart = [...resolvedAt.values()].filter((at) => at >= restartedAt).length;
  // Sends begun before the restart and resolved after it: the client retried them through the outage.
  const rodeOutage = [...resolvedAt].filter(
    ([text, at]) => sentAt.get(text)! < restartedAt && at >= restartedAt,
  );
  console.log(
    `client through a Redis SIGKILL (appendfsync ${appendfsync}): ${resolvedAt.size} of ${MESSAGES} resolved ` +
      `(${resolvedAfterRestart} after the restart, ${rodeOutage.length} of them begun before it), ${rejected.size} rejected; delivered ${tally.delivered}, ` +
      `duplicated ${tally.duplicated.length}; resolved but lost ${resolvedLost.length}` +
      (rejected.size > 0 ? `\n  rejected: ${[...rejected.values()].slice(0, 5).join('\n  ')}` : ''),
  );
  expect(tally.duplicated).toEqual([]);
  expect(tally.unexpected).toEqual([]);
  expect(resolvedAt.size + rejected.size).toBe(MESSAGES);
  expect(rodeOutage.length).toBeGreaterThan(0);
  return { resolvedAt, resolvedLost, crashedAt, restartedAt };
}

it('delivers every message the client resolved, none twice, with appendfsync always', async () => {
  const { resolvedLost } = await sendThroughCrash('always', 'client always');

  expect(resolvedLost).toEqual([]);
}, 180_000);

it('delivers every resolved message but the last 2 s before the crash, none twice, with appendfsync everysec', async () => {
  const { resolvedAt, resolvedLost, crashedAt, restartedAt } = await sendThroughCrash(
    'everysec',
    'client everysec',
  );

  const outsideWindow = resolvedLost.filter((text) => {
    const at = resolvedAt.get(text)!;
    return at < crashedAt - 2_000 || at >= restartedAt;
  });
  expect(outsideWindow).toEqual([]);
}, 180_000);
