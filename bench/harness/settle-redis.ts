import type Redis from 'ioredis';

/**
 * Rewrites the append-only file and waits for the rewrite to end, so that a measured phase does
 * not pay for a rewrite the previous phase's writes made due (a fork and a full copy: seconds of
 * CPU on a small machine).
 */
export async function settleRedis(redis: Redis, timeoutMs = 60_000): Promise<void> {
  await redis.bgrewriteaof().catch(() => {});
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = await redis.info('persistence');
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
