import { randomUUID } from 'node:crypto';
import { startRedis, type TestRedis } from '@sms/testing';
import Redis from 'ioredis';
import { CallbackOutbox } from './callback-outbox';

let server: TestRedis;
let redis: Redis;
beforeAll(async () => {
  server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

const prefix = () => `{o${randomUUID().slice(0, 8)}}`;
const event = { client: 'shop', url: 'https://hooks.shop.internal/sms', status: 'accepted' as const, at: 1 };

it('gives the head event as it was pushed, numbered', async () => {
  const p = prefix();
  const outbox = new CallbackOutbox(redis, { prefix: p, retentionSeconds: 3600 });
  await outbox.push('m', { ...event, reference: 'order-1', code: 2020 });
  expect((await outbox.head('m'))?.event).toEqual({
    id: 'm:1',
    sequence: 1,
    messageId: 'm',
    reference: 'order-1',
    status: 'accepted',
    code: 2020,
    at: new Date(1).toISOString(),
  });
});

it.each([
  ['a status it never sends', `1:${JSON.stringify({ ...event, status: 'teleported' })}`],
  ['text that is not JSON', '1:{"client":'],
  ['no sequence number', JSON.stringify(event)],
])('rejects a head holding %s, naming its key, and leaves it in place', async (_what, stored) => {
  const p = prefix();
  const outbox = new CallbackOutbox(redis, { prefix: p, retentionSeconds: 3600 });
  const key = `${p}:callback-outbox:m`;
  await redis.rpush(key, stored);
  await expect(outbox.head('m')).rejects.toEqual(
    expect.objectContaining({ name: 'CorruptRecordError', key, field: 'head', value: stored }),
  );
  expect(await redis.lrange(key, 0, -1)).toEqual([stored]);
});
