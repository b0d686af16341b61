import { createProducerConnection, waitForRedis } from '@sms/queue';
import type Redis from 'ioredis';
import type { TestRedis } from './redis-server';
import { startRedis } from './start-redis';

/** A test file's Redis (`startRedis`) and one producer connection to it, as the services make it. */
export interface ConnectedRedis {
  readonly server: TestRedis;
  readonly redis: Redis;
  /** Closes the connection, then stops the server (when the tests started it). */
  stop(): Promise<void>;
}

/** Starts (or, with `REDIS_URL`, reaches) a Redis and resolves once a connection to it answers. */
export async function connectTestRedis(): Promise<ConnectedRedis> {
  const server = await startRedis();
  const redis = createProducerConnection(server.target);
  // Errors show in the tests' own assertions; unlistened, one would end the test process.
  redis.on('error', () => {});
  await waitForRedis(redis, { warn: () => {} });
  return {
    server,
    redis,
    stop: async () => {
      redis.disconnect();
      await server.stop();
    },
  };
}
