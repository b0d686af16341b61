import { redisKeyPrefix } from '@sms/config';
import { countKeys } from '../harness/count-keys';
import { apiShapedJob, fillBacklog } from '../harness/fill-backlog';
import { usedMemory } from '../harness/redis-memory';
import { runAutocannon } from '../load/run-autocannon';
import type { Scenario } from '../scenario';

const PUSH_CHUNK = 1_000;

/**
 * Redis memory per waiting message, from Redis' own accounting (INFO used_memory before and
 * after, divided by the count): API-shaped jobs added in bulk, then more posted through the API
 * with an Idempotency-Key each (the job plus the remembered key). The baseline is the least any
 * Redis queue needs: the same JSON payloads in one plain list. A waiting message has no status
 * record yet (the worker writes the first when it takes the message); what a delivered message
 * leaves behind is measured by the delivery scenario.
 */
export const redisMemory: Scenario = {
  name: 'memory',
  title: 'Redis memory per waiting message',
  run: async ({ sizes, log, environment }) => {
    const { waiting, withKey } = sizes.memory;
    const env = await environment();
    try {
      const redis = env.connection;
      log(`baseline: ${waiting} JSON payloads in a plain list`);
      const listKey = `${env.prefix}:baseline-list`;
      const listBefore = await usedMemory(redis);
      for (let from = 0; from < waiting; from += PUSH_CHUNK) {
        const payloads = [];
        for (let i = from; i < Math.min(waiting, from + PUSH_CHUNK); i++)
          payloads.push(JSON.stringify(apiShapedJob(i, 'list').data));
        await redis.rpush(listKey, ...payloads);
      }
      const listBytes = ((await usedMemory(redis)) - listBefore) / waiting;
      await redis.del(listKey);

      log(`${waiting} API-shaped jobs waiting`);
      const before = await usedMemory(redis);
      await fillBacklog(redis, env.prefix, waiting, 'memory');
      const afterJobs = await usedMemory(redis);
      const jobBytes = (afterJobs - before) / waiting;

      log(`${withKey} more through the API, each with an Idempotency-Key`);
      const api = await env.startApi();
      const posted = await runAutocannon(
        {
          url: `${api.url}/v1/sms`,
          method: 'POST',
          headers: {
            authorization: `Bearer ${api.apiKey}`,
            'content-type': 'application/json',
            'idempotency-key': '[<id>]',
          },
          body: JSON.stringify({ to: '+573001234567', text: 'Your verification code is 482913 ([<id>])' }),
          connections: 16,
          warmupSeconds: 0,
          durationSeconds: 0,
          amount: withKey,
          idReplacement: true,
        },
        {},
      );
      await api.stop();
      const afterKeyed = await usedMemory(redis);
      const keyedBytes = (afterKeyed - afterJobs) / posted.load.ok;
      const idempotencyKeys = await countKeys(redis, `${redisKeyPrefix(env.prefix)}:idem:*`);
      const baseline = { name: 'plain list of the payloads', value: listBytes };
      return {
        figures: [
          {
            figure: `per waiting message (${waiting.toLocaleString('en-US')} waiting)`,
            value: jobBytes,
            unit: 'bytes',
            baseline,
            target: { on: 'value', op: '<=', limit: 1_000 },
          },
          {
            figure: 'per waiting message with Idempotency-Key',
            value: keyedBytes,
            unit: 'bytes',
            baseline,
            target: { on: 'value', op: '<=', limit: 1_000 },
          },
        ],
        details: {
          waiting,
          postedWithKey: posted.load.ok,
          postNon2xx: posted.load.non2xx,
          idempotencyKeys,
          usedMemory: { before, afterJobs, afterKeyed },
          bytesPerMessage: {
            job: jobBytes,
            jobWithKey: keyedBytes,
            key: keyedBytes - jobBytes,
            list: listBytes,
          },
        },
      };
    } finally {
      await env.stop();
    }
  },
};
