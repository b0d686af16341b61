import { isCluster } from './ping-redis';
import { readPrimariesConfig } from './read-primaries-config';
import type { RedisConnection } from './redis-connections';

export interface JobEncodingLogger {
  warn(details: object, message: string): void;
}

/**
 * The `hash-max-listpack-value` the gateway's Redis should have: a waiting message is a BullMQ
 * job hash whose `data` field (the message) is some 250 bytes for a short text; at Redis'
 * default of 64 the hash is a hash table, at 512 a listpack, 1,081 against 616 bytes a job
 * (docs/operations.md, Redis).
 */
export const RECOMMENDED_HASH_MAX_LISTPACK_VALUE = 512;

/**
 * Warns when a primary keeps waiting messages in the larger encoding: not a fault, since nothing
 * is lost, but the backlog then needs about 1.7 times the memory. Redis 6 names the setting
 * `hash-max-ziplist-value` (Redis 7 takes both names). Says nothing when CONFIG is refused.
 * Returns the smallest value found, if any could be read.
 */
export async function checkJobEncoding(
  connection: RedisConnection,
  logger: JobEncodingLogger,
): Promise<number | undefined> {
  const values = await readPrimariesConfig(connection, 'hash-max-ziplist-value');
  const read = values.filter((entry): entry is { node: string; value: string } => entry.value !== undefined);
  for (const { node, value } of read) {
    if (Number(value) < RECOMMENDED_HASH_MAX_LISTPACK_VALUE) {
      logger.warn(
        { hashMaxListpackValue: Number(value), ...(isCluster(connection) && { node }) },
        `Redis hash-max-listpack-value is below ${RECOMMENDED_HASH_MAX_LISTPACK_VALUE}: each waiting message takes about 1.7 times the memory; set hash-max-listpack-value ${RECOMMENDED_HASH_MAX_LISTPACK_VALUE}`,
      );
    }
  }
  return read.length === 0 ? undefined : Math.min(...read.map(({ value }) => Number(value)));
}
