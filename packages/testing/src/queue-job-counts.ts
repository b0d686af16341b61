import { redisKeyPrefix } from '@sms/config';
import { Queue } from 'bullmq';
import Redis from 'ioredis';

/** How many jobs a BullMQ queue holds in each state. */
export interface QueueJobCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly prioritized: number;
  readonly completed: number;
  readonly failed: number;
  /** The sum of all the above. */
  readonly total: number;
}

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

/**
 * Counts the jobs of the BullMQ queue `queue` (e.g. the dead-letter queue, `sms-dead-letter`) of
 * the gateway processes started with `QUEUE_PREFIX=prefix`, through BullMQ's own counts rather
 * than its keys, which are BullMQ's to change (BullMQ 6 dropped the `paused` list).
 */
export async function queueJobCounts(
  redisUrl: string,
  prefix: string,
  queue: string,
): Promise<QueueJobCounts> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  const bullQueue = new Queue(queue, { connection: redis, prefix: redisKeyPrefix(prefix) });
  try {
    await bullQueue.waitUntilReady();
    const counts = await bullQueue.getJobCounts(...STATES);
    const byState = Object.fromEntries(STATES.map((state) => [state, counts[state] ?? 0])) as Record<
      (typeof STATES)[number],
      number
    >;
    return { ...byState, total: Object.values(byState).reduce((sum, n) => sum + n, 0) };
  } finally {
    await bullQueue.close();
    redis.disconnect();
  }
}
