import { type RedisServer, startRedisServer } from '@sms/testing';
import Redis from 'ioredis';
import { checkJobEncoding, RECOMMENDED_HASH_MAX_LISTPACK_VALUE } from './check-job-encoding';

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
  return { lines, logger: { warn: (_details: object, message: string) => void lines.push(message) } };
};

it('is silent when a job hash fits a listpack', async () => {
  await redis.config('SET', 'hash-max-listpack-value', String(RECOMMENDED_HASH_MAX_LISTPACK_VALUE));
  const { lines, logger } = collect();
  expect(await checkJobEncoding(redis, logger)).toBe(RECOMMENDED_HASH_MAX_LISTPACK_VALUE);
  expect(lines).toEqual([]);
});

it("warns, naming the setting, at Redis' default", async () => {
  await redis.config('SET', 'hash-max-listpack-value', '64');
  const { lines, logger } = collect();
  expect(await checkJobEncoding(redis, logger)).toBe(64);
  expect(lines).toEqual([expect.stringContaining('hash-max-listpack-value 512')]);
});
