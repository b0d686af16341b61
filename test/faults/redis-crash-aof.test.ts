import { SMS_QUEUE } from '@sms/queue';
import {
  type DeliveryTally,
  queueDrained,
  type RedisServerOptions,
  startStack,
  Teardown,
  uniqueTexts,
} from '@sms/testing';

// Fault: Redis is killed with SIGKILL right after the API answered 202 to the last of the
//   messages, and restarted from its append-only file; no worker runs until then, so every
//   message waits in Redis at the crash.
// Load: 1,000 messages posted through the API, 16 at a time.
// Invariant: with `appendfsync always` none of the accepted messages is lost: a worker started
//   after the restart delivers all of them, each exactly once. With `everysec`, whatever
//   survived is delivered exactly once, and the loss is at most what was accepted in the last
//   2 s before the crash (Redis may put off writing the file for up to 2 s while an fsync runs);
//   the measured loss is printed.
const MESSAGES = 1_000;

const teardown = new Teardown();
afterEach(() => teardown.run());

interface CrashOutcome {
  readonly texts: readonly string[];
  /** When the API answered 202 to each text, in ms since the epoch. */
  readonly acceptedAt: ReadonlyMap<string, number>;
  readonly crashedAt: number;
  readonly tally: DeliveryTally;
}

/**
 * On a Redis of its own with `appendfsync`, posts the load, crashes Redis after the last 202,
 * restarts it and lets a worker drain the queue.
 */
async function acceptCrashAndDrain(
  appendfsync: NonNullable<RedisServerOptions['appendfsync']>,
  label: string,
): Promise<CrashOutcome> {
  const stack = teardown.add(
    await startStack({ redisServer: { appendfsync }, workers: 0, workerEnv: { WORKER_CONCURRENCY: '64' } }),
    (it) => it.stop(),
  );
  const { redis, simulator, api, prefix } = stack;
  const texts = uniqueTexts(label, MESSAGES);
  const acceptedAt = new Map<string, number>();
  let next = 0;
  const lane = async () => {
    while (next < texts.length) {
      const text = texts[next++]!;
      const response = await api.post({ to: '573001234567', text });
      expect(response.status).toBe(202);
      acceptedAt.set(text, Date.now());
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));

  await redis.crash();
  const crashedAt = Date.now();
  await redis.restart();
  await stack.addWorker();
  await queueDrained(redis.url, prefix, SMS_QUEUE, 60_000);
  return { texts, acceptedAt, crashedAt, tally: await simulator.admin.tally(texts) };
}

it('loses no accepted message with appendfsync always', async () => {
  const { tally } = await acceptCrashAndDrain('always', 'aof always');

  console.log(`Redis SIGKILL, appendfsync always: ${tally.lost.length} of ${MESSAGES} accepted lost`);
  expect(tally).toMatchObject({ delivered: MESSAGES, duplicated: [], lost: [], unexpected: [] });
}, 120_000);

it('loses at most the last 2 s of accepted messages with appendfsync everysec', async () => {
  const { texts, acceptedAt, crashedAt, tally } = await acceptCrashAndDrain('everysec', 'aof everysec');

  const lastTwoSeconds = texts.filter((text) => acceptedAt.get(text)! >= crashedAt - 2_000);
  const lostEarlier = tally.lost.filter((text) => acceptedAt.get(text)! < crashedAt - 2_000);
  console.log(
    `Redis SIGKILL, appendfsync everysec: ${tally.lost.length} of ${MESSAGES} accepted lost ` +
      `(${lastTwoSeconds.length} were accepted in the last 2 s before the crash)`,
  );
  expect(tally.duplicated).toEqual([]);
  expect(tally.unexpected).toEqual([]);
  expect(lostEarlier).toEqual([]);
  expect(tally.delivered + tally.lost.length).toBe(MESSAGES);
}, 120_000);
