import type { Cluster, Redis } from 'ioredis';
import type { RedisConnection } from './redis-connections';

/**
 * Resolves when Redis answers: the server (the current primary, with Sentinel), or every
 * primary of a Cluster, whose PING alone would reach one node picked at random.
 */
export async function pingRedis(connection: RedisConnection): Promise<void> {
  await Promise.all(primariesOf(connection).map((node) => node.ping()));
}

/** The servers that take writes: the connection itself, or each primary of a Cluster. */
export function primariesOf(connection: RedisConnection): Redis[] {
  if (!isCluster(connection)) return [connection];
  const primaries = connection.nodes('master');
  if (primaries.length === 0) throw new Error('no Redis Cluster primary is known yet');
  return primaries;
}

/** True for a Redis Cluster connection. */
export function isCluster(connection: RedisConnection): connection is Cluster {
  return connection.isCluster;
}
