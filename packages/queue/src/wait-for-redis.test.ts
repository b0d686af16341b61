import { freePort, startRedisServer } from '@sms/testing';
import { createProducerConnection } from './redis-connections';
import { waitForRedis } from './wait-for-redis';

const quiet = { warn: () => {} };

it('resolves once a Redis that starts late answers', async () => {
  const server = await startRedisServer();
  await server.stop();
  const redis = createProducerConnection(server.target);
  redis.on('error', () => {});
  const waiting = waitForRedis(redis, quiet);
  await server.restart();
  await expect(waiting).resolves.toBeUndefined();
  redis.disconnect();
  await server.stop();
});

it('gives up with the connection error when Redis never answers', async () => {
  const redis = createProducerConnection({ kind: 'server', url: `redis://127.0.0.1:${await freePort()}` });
  redis.on('error', () => {});
  await expect(waitForRedis(redis, quiet, 1)).rejects.toThrow(/not connected|ECONNREFUSED|writeable/);
  redis.disconnect();
});
