import type Redis from 'ioredis';

/**
 * Redis' own count of the bytes it has allocated (`INFO memory`, `used_memory`), taken when the
 * figure has settled: lazy frees and the append-only file's rewrite buffers come and go.
 */
export async function usedMemory(redis: Redis): Promise<number> {
  let previous = -1;
  for (let i = 0; i < 20; i++) {
    const info = await redis.info('memory');
    const value = Number(/^used_memory:(\d+)/m.exec(info)?.[1]);
    if (value === previous) return value;
    previous = value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return previous;
}
