import { redisKeyPrefix } from '@sms/config';
import { Queue } from 'bullmq';
import Redis from 'ioredis';

/** One BullMQ job as stored: its name and its data. */
export interface StoredJob {
  readonly name: string;
  readonly data: unknown;
}

/**
 * Reads job `id` of the BullMQ queue `queue` of the gateway processes started with
 * `QUEUE_PREFIX=prefix` through BullMQ's `getJob`, e.g. a dead-letter entry, whose name is its
 * reason.
 */
export async function readQueueJob(
  redisUrl: string,
  prefix: string,
  queue: string,
  id: string,
): Promise<StoredJob | undefined> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  const bullQueue = new Queue(queue, { connection: redis, prefix: redisKeyPrefix(prefix) });
  try {
    await bullQueue.waitUntilReady();
    const job = await bullQueue.getJob(id);
    return job ? { name: job.name, data: job.data } : undefined;
  } finally {
    await bullQueue.close();
    redis.disconnect();
  }
}
