import { redisKeyPrefix } from '@sms/config';
import Redis from 'ioredis';

/** One BullMQ job as stored: its name and its data. */
export interface StoredJob {
  readonly name: string;
  readonly data: unknown;
}

/**
 * Reads job `id` of the BullMQ queue `queue` of the gateway processes started with
 * `QUEUE_PREFIX=prefix` straight from its hash (`{<prefix>}:<queue>:<id>`), e.g. a dead-letter
 * entry, whose name is its reason.
 */
export async function readQueueJob(
  redisUrl: string,
  prefix: string,
  queue: string,
  id: string,
): Promise<StoredJob | undefined> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const [name, data] = await redis.hmget(`${redisKeyPrefix(prefix)}:${queue}:${id}`, 'name', 'data');
    if (name === null || name === undefined) return undefined;
    return { name, data: data === null || data === undefined ? undefined : JSON.parse(data) };
  } finally {
    redis.disconnect();
  }
}
