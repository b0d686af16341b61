import { type DeadLetterQueue, indexSets, type RedisConnection, RedisScript } from '@sms/queue';
import { DeadLetterIndex } from './dead-letter-index';
import { operatorKeys } from './operator-keys';

export interface SweepTarget {
  readonly deadLetterQueue: DeadLetterQueue;
  readonly redis: RedisConnection;
  /** Key prefix shared with the queues: `redisKeyPrefix(QUEUE_PREFIX)` (`@sms/config`). */
  readonly prefix: string;
}

export interface SweepOptions {
  /** `DEAD_LETTER_RETENTION_SECONDS`: entries dead-lettered longer ago go; 0 keeps every entry. */
  readonly retentionSeconds: number;
  /**
   * Entries removed per script call, which bounds how long one call holds Redis.
   * @defaultValue 25
   */
  readonly batch?: number;
  /** Clock, in milliseconds; replaced in tests only. */
  readonly now?: () => number;
}

// Removes the oldest entries dead-lettered before the cutoff: the job (out of the wait list, its
// hash and its log), any journal copy of an interrupted replay, and the index members; nothing
// else (status records expire on their own). An entry that a replay or delete holds (its lock),
// or that is being written (its mark), is left for the next sweep. The wait list is searched from
// its tail, where the oldest jobs are, so a removal costs little however long the queue is. This
// is BullMQ's removal (removeJob.lua) cut to what a dead-letter job has: no worker ever takes one,
// so it is only ever waiting, with no parent, children or deduplication key.
//   KEYS  every index set, the wait list, the replay journal
//   ARGV  job key prefix, lock key prefix, writing mark prefix, cutoff (ms), batch
// Returns how many entries it looked at, and how many it removed.
const SWEEP = new RedisScript<readonly string[], readonly (string | number)[], number[]>({
  name: 'smsSweepDeadLetters',
  lua: `
local n = #KEYS
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4], 'LIMIT', 0, tonumber(ARGV[5]))
local removed = 0
for _, id in ipairs(ids) do
  if redis.call('EXISTS', ARGV[2] .. id) == 0 and redis.call('EXISTS', ARGV[3] .. id) == 0 then
    local job = ARGV[1] .. id
    if redis.call('EXISTS', job) == 1 then
      redis.call('LREM', KEYS[n - 1], -1, id)
      redis.call('DEL', job, job .. ':logs')
    end
    redis.call('HDEL', KEYS[n], id)
    for i = 1, n - 2 do redis.call('ZREM', KEYS[i], id) end
    removed = removed + 1
  end
end
return { #ids, removed }`,
  isReply: (raw): raw is number[] => Array.isArray(raw) && raw.every(Number.isInteger),
});

/**
 * Removes the dead letters older than the retention (`DEAD_LETTER_RETENTION_SECONDS`), oldest
 * first, `batch` at a time, until none is left; resolves how many it removed. Any replica may run
 * it, as often as it likes, at the same time as others: an entry is removed once, by one script
 * call. It first builds the dead-letter index if that was never done (a queue written before the
 * index existed), unless another process is building it, in which case it removes nothing this
 * time.
 */
export async function sweepExpiredDeadLetters(target: SweepTarget, options: SweepOptions): Promise<number> {
  const { deadLetterQueue, redis, prefix } = target;
  const { retentionSeconds, batch = 25, now = Date.now } = options;
  if (retentionSeconds === 0) return 0;
  const index = new DeadLetterIndex(deadLetterQueue, redis, prefix);
  if (!(await index.ensureBuilt('skip'))) return 0;
  const keys = operatorKeys(prefix);
  const cutoff = now() - retentionSeconds * 1000;
  const args = [deadLetterQueue.toKey(''), keys.lockPrefix, index.keys.writingPrefix, cutoff, batch];
  const scriptKeys = [...indexSets(index.keys), deadLetterQueue.keys.wait!, keys.journal];
  let removed = 0;
  for (;;) {
    const [seen = 0, gone = 0] = await SWEEP.run(redis, scriptKeys, args);
    removed += gone;
    // Stop at the end, or when all that is left of the expired entries is held by others.
    if (seen < batch || gone === 0) return removed;
  }
}
