import { redisKeyPrefix } from '@sms/config';
import Redis from 'ioredis';

/** How many jobs a BullMQ queue holds in each state. */
export interface QueueJobCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly prioritized: number;
  readonly paused: number;
  readonly completed: number;
  readonly failed: number;
  /** The sum of all the above. */
  readonly total: number;
}

/**
 * Counts the jobs of the BullMQ queue `queue` (e.g. the dead-letter queue, `sms-dead-letter`) of
 * the gateway processes started with `QUEUE_PREFIX=prefix`, by reading BullMQ's keys
 * (`{<prefix>}:<queue>:wait`, `:active`...), so that a test can look into any queue without a
 * BullMQ dependency of its own.
 */
export async function queueJobCounts(
  redisUrl: string,
  prefix: string,
  queue: string,
): Promise<QueueJobCounts> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const key = (state: string) => `${redisKeyPrefix(prefix)}:${queue}:${state}`;
    const [waiting, active, paused, delayed, prioritized, completed, failed] = await Promise.all([
      redis.llen(key('wait')),
      redis.llen(key('active')),
      redis.llen(key('paused')),
      redis.zcard(key('delayed')),
      redis.zcard(key('prioritized')),
      redis.zcard(key('completed')),
      redis.zcard(key('failed')),
    ]);
    const counts = { waiting, active, paused, delayed, prioritized, completed, failed };
    return { ...counts, total: Object.values(counts).reduce((sum, n) => sum + n, 0) };
  } finally {
    redis.disconnect();
  }
}
