import pRetry from 'p-retry';
import { pingRedis } from './ping-redis';
import type { RedisConnection } from './redis-connections';

export interface StartupLogger {
  warn(details: object, message: string): void;
}

/**
 * Waits at start-up until Redis answers, retrying with backoff for about half a minute, so a
 * process started just before Redis (docker compose, a rolling restart) comes up on its own;
 * after that it fails, and the orchestrator's restart policy takes over.
 */
export async function waitForRedis(
  redis: RedisConnection,
  logger: StartupLogger,
  retries = 8,
): Promise<void> {
  await pRetry(() => pingWhenConnected(redis, 2_000), {
    retries,
    minTimeout: 250,
    maxTimeout: 8_000,
    onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
      logger.warn({ err: error.message, attemptNumber, retriesLeft }, 'redis not reachable yet');
    },
  });
}

// A connection without an offline queue refuses commands until it is ready, so wait for that
// first instead of counting a connection still being made as a failure.
async function pingWhenConnected(redis: RedisConnection, timeoutMs: number): Promise<void> {
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        redis.off('ready', onReady);
        reject(new Error(`not connected after ${timeoutMs} ms (${redis.status})`));
      }, timeoutMs);
      redis.once('ready', onReady);
    });
  }
  await pingRedis(redis);
}
