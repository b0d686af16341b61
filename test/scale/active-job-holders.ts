import { redisKeyPrefix } from '@sms/config';
import Redis from 'ioredis';

/**
 * Which BullMQ worker holds each active job of `queue`, by job id: the worker's id, read from
 * the job's lock (`{<prefix>}:<queue>:<id>:lock` holds, for processes started with
 * `QUEUE_PREFIX=prefix`, the token `<worker id>:<n>`). A killed
 * worker's jobs keep its id until their locks lapse, so a snapshot taken just after the kill
 * names every job it had in flight. Jobs that finish while being read are left out.
 */
export async function activeJobHolders(
  redisUrl: string,
  prefix: string,
  queue: string,
): Promise<Map<string, string>> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const keys = `${redisKeyPrefix(prefix)}:${queue}`;
    const ids = await redis.lrange(`${keys}:active`, 0, -1);
    if (ids.length === 0) return new Map();
    const tokens = await redis.mget(ids.map((id) => `${keys}:${id}:lock`));
    const holders = new Map<string, string>();
    ids.forEach((id, i) => {
      const token = tokens[i];
      if (token) holders.set(id, token.slice(0, token.lastIndexOf(':')));
    });
    return holders;
  } finally {
    redis.disconnect();
  }
}
