import { isCluster } from './ping-redis';
import { readPrimariesConfig } from './read-primaries-config';
import type { RedisConnection } from './redis-connections';

export interface EvictionLogger {
  error(details: object, message: string): void;
}

/**
 * Warns loudly when Redis may evict keys: under memory pressure any policy but `noeviction`
 * silently deletes queued messages (https://docs.bullmq.io/guide/going-to-production). On a
 * Cluster every primary is asked, since the gateway's slot may move to any of them; with
 * Sentinel the current primary is. Managed Redis services often refuse CONFIG; then nothing can
 * be checked and nothing is said. Returns the first policy that may evict, else `noeviction`.
 */
export async function checkEvictionPolicy(
  connection: RedisConnection,
  logger: EvictionLogger,
): Promise<string | undefined> {
  const policies = (await readPrimariesConfig(connection, 'maxmemory-policy')).map(({ node, value }) => ({
    node,
    policy: value,
  }));
  const evicting = policies.filter(({ policy }) => policy !== undefined && policy !== 'noeviction');
  for (const { node, policy } of evicting) {
    logger.error(
      { maxmemoryPolicy: policy, ...(isCluster(connection) && { node }) },
      'Redis maxmemory-policy is not noeviction: under memory pressure Redis will delete queued messages; set maxmemory-policy noeviction',
    );
  }
  return evicting[0]?.policy ?? policies.find(({ policy }) => policy !== undefined)?.policy;
}
