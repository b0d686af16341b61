/**
 * The prefix of every key a gateway writes: `QUEUE_PREFIX` in braces, `{sms}` by default. Redis
 * Cluster hashes only the part in braces, so every key of a gateway lands in one slot, as the
 * MULTI transactions and Lua scripts of BullMQ and of the gateway require
 * (https://docs.bullmq.io/patterns/redis-cluster). The braces are there on every topology,
 * so that the keys have one shape whichever Redis holds them.
 */
export function redisKeyPrefix(queuePrefix: string): string {
  return `{${queuePrefix}}`;
}
