import Redis, { type RedisOptions } from 'ioredis';

/**
 * A connection for producers (the API). With the offline queue off and one retry per command,
 * a request fails within a connect timeout when Redis is down, so the API can answer 503 at
 * once instead of holding the caller while ioredis buffers commands.
 * See https://docs.bullmq.io/guide/going-to-production#maxretriesperrequest
 */
export function createProducerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
    ...options,
  });
}

/**
 * A connection for workers. BullMQ requires `maxRetriesPerRequest: null` here: its blocking
 * commands must survive reconnections instead of failing the worker loop.
 */
export function createWorkerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    ...options,
  });
}
