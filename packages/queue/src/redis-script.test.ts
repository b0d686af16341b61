import { infoFields, type RedisServer, startRedisServer } from '@sms/testing';
import Redis from 'ioredis';
import { isIntegerReply, RedisScript, ScriptReplyError } from './redis-script';

// A Redis of our own: the test counts its commands and flushes its scripts.
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

// KEYS: any number of counters. ARGV: the step. Returns the sum of the new values.
const ADD_TO_ALL = new RedisScript<string[], [step: number], number>({
  name: 'testAddToAll',
  isReply: isIntegerReply,
  lua: `
local sum = 0
for _, key in ipairs(KEYS) do sum = sum + redis.call('INCRBY', key, ARGV[1]) end
return sum`,
});

const scriptCalls = async () => {
  const stats = infoFields(await redis.info('commandstats'));
  const calls = (command: string) => Number(/calls=(\d+)/.exec(stats[`cmdstat_${command}`] ?? '')?.[1] ?? 0);
  return { eval: calls('eval'), evalsha: calls('evalsha'), load: calls('script|load') };
};

it('runs with however many keys each call passes', async () => {
  expect(await ADD_TO_ALL.run(redis, ['a'], [2])).toBe(2);
  expect(await ADD_TO_ALL.run(redis, ['a', 'b', 'c'], [1])).toBe(3 + 1 + 1);
  expect(await redis.mget('a', 'b', 'c')).toEqual(['3', '1', '1']);
});

it('sends one command per call: EVAL on a fresh connection, EVALSHA after, never SCRIPT LOAD', async () => {
  const fresh = new Redis(server.url);
  try {
    await redis.config('RESETSTAT');
    for (let i = 0; i < 3; i += 1) await ADD_TO_ALL.run(fresh, ['fresh'], [1]);
    expect(await scriptCalls()).toEqual({ eval: 1, evalsha: 2, load: 0 });
  } finally {
    fresh.disconnect();
  }
});

it('runs again after Redis forgot its scripts', async () => {
  await ADD_TO_ALL.run(redis, ['flushed'], [1]);
  await redis.script('FLUSH');
  expect(await ADD_TO_ALL.run(redis, ['flushed'], [1])).toBe(2);
});

it('rejects with ScriptReplyError when the answer is not what the script returns', async () => {
  const answersText = new RedisScript<[], [], number>({
    name: 'testAnswersText',
    isReply: isIntegerReply,
    lua: `return 'not a number'`,
  });
  const error = await answersText.run(redis, [], []).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ScriptReplyError);
  expect(error).toMatchObject({
    code: 'REDIS_SCRIPT_REPLY',
    script: 'testAnswersText',
    reply: 'not a number',
  });
});
