import type Redis from 'ioredis';

export interface EvictionLogger {
  error(details: object, message: string): void;
}

/**
 * Warns loudly when Redis may evict keys: under memory pressure any policy but `noeviction`
 * silently deletes queued messages (https://docs.bullmq.io/guide/going-to-production). Managed
 * Redis services often refuse CONFIG; then nothing can be checked and nothing is said.
 */
export async function checkEvictionPolicy(redis: Redis, logger: EvictionLogger): Promise<string | undefined> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch {
    return undefined;
  }
  if (policy !== undefined && policy !== 'noeviction') {
    logger.error(
      { maxmemoryPolicy: policy },
      'Redis maxmemory-policy is not noeviction: under memory pressure Redis will delete queued messages; set maxmemory-policy noeviction',
    );
  }
  return policy;
}
