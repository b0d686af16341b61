import { type RedisServer, startRedisServer } from '@sms/testing';
import Redis from 'ioredis';
import { checkEvictionPolicy } from './check-eviction-policy';

// A Redis of our own: the test reconfigures it.
let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

const collect = () => {
  const lines: string[] = [];
  return { lines, logger: { error: (_details: object, message: string) => void lines.push(message) } };
};

it('is silent when Redis never evicts', async () => {
  await redis.config('SET', 'maxmemory-policy', 'noeviction');
  const { lines, logger } = collect();
  expect(await checkEvictionPolicy(redis, logger)).toBe('noeviction');
  expect(lines).toEqual([]);
});

it('logs an error naming the policy when Redis may evict keys', async () => {
  await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
  const { lines, logger } = collect();
  expect(await checkEvictionPolicy(redis, logger)).toBe('allkeys-lru');
  expect(lines).toEqual([expect.stringContaining('noeviction')]);
});
