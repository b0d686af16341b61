import type { IRedisTransaction, RedisClient } from 'bullmq';

const COMMAND = 'smsRefuseAfterDeadline';

// BullMQ adds nothing, and answers as if it had, when a job's key already exists
// (addStandardJob-9.lua and its siblings return early on EXISTS). So in a transaction of
// [refuse, BullMQ's adds, clear], 'refuse' makes each missing job's key exist when Redis' own
// clock is past the deadline, the adds skip those jobs, and 'clear' deletes what 'refuse' made.
// Both passes are one script, so a script cache flushed under a connection loses both or
// neither, and no marker can outlive its transaction.
//   KEYS[1]  the queue's key prefix; a job's key is it followed by the job's id, as BullMQ's
//            `queue.toKey(id)` writes it (every key shares the gateway's hash tag)
//   ARGV[1]  'refuse' or 'clear'
//   ARGV[2]  the deadline, in ms since the epoch
//   ARGV[3..] the job ids
// Returns the number of jobs refused, or of markers deleted.
const LUA = `
local marker = 'refusedAfterDeadline'
local count = 0
if ARGV[1] == 'refuse' then
  local time = redis.call('TIME')
  if tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) <= tonumber(ARGV[2]) then
    return 0
  end
  for i = 3, #ARGV do
    local key = KEYS[1] .. ARGV[i]
    if redis.call('EXISTS', key) == 0 then
      redis.call('HSET', key, marker, ARGV[2])
      count = count + 1
    end
  end
else
  for i = 3, #ARGV do
    local key = KEYS[1] .. ARGV[i]
    if redis.call('HEXISTS', key, marker) == 1 then
      redis.call('DEL', key)
      count = count + 1
    end
  end
end
return count`;

const defined = new WeakSet<RedisClient>();

/**
 * A transaction (MULTI) on `client`, BullMQ's client of a queue, that can hold deadline checks.
 * ioredis copies a connection's scripts onto each transaction when it is made, so the script is
 * defined first.
 */
export function transactionWithDeadlineChecks(client: RedisClient): IRedisTransaction {
  if (!defined.has(client)) {
    client.defineCommand(COMMAND, { numberOfKeys: 1, lua: LUA });
    defined.add(client);
  }
  return client.multi();
}

/**
 * Queues one pass of the deadline check on a transaction of `transactionWithDeadlineChecks`:
 * `'refuse'` before the adds, `'clear'` after them, over the jobs `ids` of the queue whose keys
 * start with `keyPrefix`.
 */
export function queueDeadlineCheck(
  transaction: IRedisTransaction,
  pass: 'refuse' | 'clear',
  check: { readonly keyPrefix: string; readonly deadline: number; readonly ids: readonly string[] },
): void {
  transaction.runCommand(COMMAND, [check.keyPrefix, pass, check.deadline, ...check.ids]);
}
