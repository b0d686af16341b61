import { type RedisServer, startRedisServer, waitFor } from '@sms/testing';
import { logConnectionChanges } from './log-connection-changes';
import { createProducerConnection, createWorkerConnection } from './redis-connections';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

it('logs one line when Redis goes away and one when it is back, however many connections see it', async () => {
  const lines: string[] = [];
  const logger = {
    error: (_: object, message: string) => lines.push(message),
    info: (m: string) => lines.push(m),
  };
  const connection = createProducerConnection(redis.target);
  const other = createWorkerConnection(redis.target);
  logConnectionChanges(logger, connection, [other]);
  try {
    await waitFor(() => connection.status === 'ready' && other.status === 'ready', {
      description: 'both connections to be ready',
    });
    expect(lines).toEqual([]);

    await redis.stop();
    await waitFor(() => connection.status !== 'ready' && other.status !== 'ready', {
      description: 'both connections to see Redis gone',
    });
    // ioredis keeps reconnecting, each failure an error event; wait for a few of them.
    let errors = 0;
    connection.on('error', () => errors++);
    await waitFor(() => errors >= 3, { description: 'several failed reconnections' });
    expect(lines).toEqual(['redis connection lost']);

    await redis.restart();
    await waitFor(() => lines.length === 2, { timeoutMs: 10_000, description: 'the restored line' });
    expect(lines).toEqual(['redis connection lost', 'redis connection restored']);
  } finally {
    connection.disconnect();
    other.disconnect();
  }
});
