import type { RedisConnection } from './redis-connections';
import { type RedisRefusal, redisRefusalOf } from './redis-refusal';

/**
 * Tries one small write, the kind Redis refuses first (a plain SET: refused at `maxmemory`
 * under `noeviction`, under MISCONF, on a replica): resolves with the refusal when Redis refuses
 * it, undefined when Redis takes writes. Other errors (Redis unreachable) are thrown. A PING
 * passes in all those states, which is why readiness asks this instead.
 */
export async function redisWriteRefusal(
  redis: RedisConnection,
  key: string,
): Promise<RedisRefusal | undefined> {
  try {
    await redis.set(key, Date.now(), 'PX', 60_000);
    return undefined;
  } catch (error) {
    const refusal = redisRefusalOf(error);
    if (refusal === undefined) throw error;
    return refusal;
  }
}

/** The key a service's write probe writes, one per gateway (in its hash slot on a Cluster). */
export function writeProbeKey(prefix: string, service: string): string {
  return `${prefix}:write-probe:${service}`;
}
