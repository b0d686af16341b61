import type { RedisClient } from 'bullmq';
import { primariesOf } from './ping-redis';
import type { RedisConnection } from './redis-connections';

/** True for Redis' answer to EVALSHA of a script it does not hold. */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Loads every script defined on `client` (an ioredis connection, or BullMQ's wrapper of one)
 * into Redis again. Redis can lose its scripts under an open connection (SCRIPT FLUSH, a server
 * swapped behind a proxy): ioredis then sends a script again in full when EVALSHA answers
 * NOSCRIPT, but inside MULTI that answer comes in EXEC's reply, which it does not look into, so
 * every later transaction on the connection would fail the same way.
 */
export async function loadScriptsAgain(client: RedisClient | RedisConnection): Promise<void> {
  const connection = client as RedisConnection;
  // ioredis keeps each script's text in `lua`, private to its types only.
  const bodies = Object.values(connection.scriptsSet as Record<string, { lua?: unknown }>).flatMap(
    (script) => (typeof script.lua === 'string' ? [script.lua] : []),
  );
  await Promise.all(
    primariesOf(connection).map(async (node) => {
      const loads = node.pipeline();
      for (const lua of bodies) loads.script('LOAD', lua);
      await loads.exec();
    }),
  );
}
