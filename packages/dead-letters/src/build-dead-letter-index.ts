import { DEAD_LETTER_REASONS } from '@sms/contracts';
import {
  type DeadLetterIndexKeys,
  type DeadLetterQueue,
  indexSets,
  type RedisConnection,
  RedisScript,
} from '@sms/queue';

export interface IndexBuildTarget {
  readonly deadLetterQueue: DeadLetterQueue;
  readonly redis: RedisConnection;
  readonly keys: DeadLetterIndexKeys;
  readonly journalKey: string;
}

// Puts one entry in the index from its JSON, as `deadLetter` would have: in every entry's set
// and its reason's, out of the other reasons'. An entry without a known reason or a time (or not
// JSON) is taken out instead: no filter could select it, and `show(id)` still finds it.
const INDEX_FROM_DATA = `
local reasons = { ${DEAD_LETTER_REASONS.map((reason) => `'${reason}'`).join(', ')} }
local function indexEntry(id, data)
  local ok, entry = pcall(cjson.decode, data)
  local position
  if ok and type(entry) == 'table' and type(entry.deadLetteredAt) == 'number' then
    for i, reason in ipairs(reasons) do
      if entry.reason == reason then position = i end
    end
  end
  for i = 1, #reasons do
    if i ~= position then redis.call('ZREM', KEYS[3 + i], id) end
  end
  if position then
    redis.call('ZADD', KEYS[3], entry.deadLetteredAt, id)
    redis.call('ZADD', KEYS[3 + position], entry.deadLetteredAt, id)
  else
    redis.call('ZREM', KEYS[3], id)
  end
end`;

// Indexes the next `size` entries of the queue's wait list, walking from its tail (oldest) to its
// head, where BullMQ pushes new jobs: new jobs never shift the positions walked (and `deadLetter`
// indexes them itself). A job removed from the part already walked shifts the rest, so an entry
// could be skipped; the last id walked is checked to be where it was, and `shifted` says when not.
//   KEYS  the wait list, the replay journal, every index set
//   ARGV  job key prefix, entries walked so far, chunk size, the last id walked ('' at first)
// Returns shifted (1 or 0), how many it walked, and the last id walked.
const INDEX_QUEUE_CHUNK = new RedisScript<readonly string[], readonly (string | number)[], unknown[]>({
  name: 'smsIndexDeadLetterChunk',
  lua: `${INDEX_FROM_DATA}
local walked, size = tonumber(ARGV[2]), tonumber(ARGV[3])
local shifted = 0
if ARGV[4] ~= '' and redis.call('LINDEX', KEYS[1], -walked) ~= ARGV[4] then shifted = 1 end
local ids = redis.call('LRANGE', KEYS[1], -(walked + size), -(walked + 1))
for _, id in ipairs(ids) do
  local data = redis.call('HGET', ARGV[1] .. id, 'data')
  if data then indexEntry(id, data) end
end
return { shifted, #ids, ids[1] or '' }`,
  isReply: Array.isArray,
});

// Indexes the journal copies of the ids given (interrupted replays), unless the job is back in the
// queue, where the walk of the queue found it.
//   KEYS  the wait list, the replay journal, every index set;  ARGV  job key prefix, then ids
const INDEX_JOURNAL_CHUNK = new RedisScript<readonly string[], readonly string[], number>({
  name: 'smsIndexInterruptedReplays',
  lua: `${INDEX_FROM_DATA}
for i = 2, #ARGV do
  local id = ARGV[i]
  if redis.call('EXISTS', ARGV[1] .. id) == 0 then
    local data = redis.call('HGET', KEYS[2], id)
    if data then indexEntry(id, data) end
  end
end
return 0`,
  isReply: isZero,
});

function isZero(raw: unknown): raw is number {
  return raw === 0;
}

export interface IndexBuildOptions {
  /**
   * Entries per script call: each reads and decodes that many entries, so this bounds how long
   * one call holds Redis (about 0.3 ms for 25 entries of 1 kB).
   * @defaultValue 25
   */
  readonly chunk?: number;
  /**
   * Walks of the queue before giving up when every walk saw entries removed under it.
   * @defaultValue 3
   */
  readonly walks?: number;
}

/**
 * Makes the index agree with the queue and the replay journal, chunk by chunk, for a queue
 * written before the index existed. Idempotent, and safe beside writers, replays and deletes:
 * each chunk reads the entries it indexes inside Redis. Resolves true when a walk saw no entry
 * removed under it (so none was skipped), false when every walk did: the index is then only
 * nearly complete, and the next reader builds it again.
 */
export async function buildDeadLetterIndex(
  target: IndexBuildTarget,
  { chunk = 25, walks = 3 }: IndexBuildOptions = {},
): Promise<boolean> {
  const { deadLetterQueue, redis } = target;
  const keys = [deadLetterQueue.keys.wait!, target.journalKey, ...indexSets(target.keys)];
  const jobKeyPrefix = deadLetterQueue.toKey('');
  for (let walk = 0; walk < walks; walk++) {
    let walked = 0;
    let last = '';
    let shifted = false;
    for (;;) {
      const [moved, count, lastId] = await INDEX_QUEUE_CHUNK.run(redis, keys, [
        jobKeyPrefix,
        walked,
        chunk,
        last,
      ]);
      if (moved === 1) shifted = true;
      if (count === 0) break;
      walked += Number(count);
      last = String(lastId);
    }
    // HSCAN returns every field present from its start to its end, whatever changes meanwhile.
    let cursor = '0';
    do {
      const [next, flat] = await redis.hscan(target.journalKey, cursor, 'COUNT', chunk);
      const ids = flat.filter((_, i) => i % 2 === 0);
      if (ids.length > 0) await INDEX_JOURNAL_CHUNK.run(redis, keys, [jobKeyPrefix, ...ids]);
      cursor = next;
    } while (cursor !== '0');
    if (!shifted) return true;
  }
  return false;
}
