import { ARCHIVE_GROUP, archiveStreamKeys, isIntegerReply, RedisScript } from '@sms/queue';
import type { Cluster, Redis } from 'ioredis';

/** A message now safely in PostgreSQL, as it was when archived. */
export interface ArchivedRecordKeys {
  readonly id: string;
  /** Its status hash and its list of attempts (of records written before they moved into the hash). */
  readonly record: string;
  readonly attempts: string;
  /**
   * Its `updatedAt` and status as archived: a record changed since (a replay) is not touched.
   * Both, as a replay can come within the same millisecond.
   */
  readonly updatedAt: number;
  readonly status: string;
  /** The key of its reference's index (`referenceIndexKey`), when it has a reference. */
  readonly referenceIndex?: string;
}

// After the COMMIT: a record still as archived lives on in Redis for the hot window after it
// became final (and at least a second, so that it does not vanish mid-request), never longer
// than it would have; it leaves its reference's index, which PostgreSQL answers for now. Then
// every entry of the batch is acknowledged and deleted, so the stream holds only the backlog.
// KEYS: stream, then each record's hash and attempts list, then reference indexes.
// ARGV: group, now ms, hot ms, m records, then per record: updatedAt, status, index of its
// reference index in KEYS (0: none), id; then the batch's entry ids.
const FINISH = new RedisScript<string[], (string | number)[], number>({
  name: 'smsFinishArchived',
  isReply: isIntegerReply,
  lua: `
local now = tonumber(ARGV[2])
local hot = tonumber(ARGV[3])
local m = tonumber(ARGV[4])
local released = 0
for i = 1, m do
  local at = 1 + 4 * i
  local record = KEYS[2 * i]
  local current = redis.call('HMGET', record, 'updatedAt', 'status')
  if current[1] == ARGV[at] and current[2] == ARGV[at + 1] then
    local expireAt = math.max(tonumber(ARGV[at]) + hot, now + 1000)
    for _, key in ipairs({record, KEYS[2 * i + 1]}) do
      local ttl = redis.call('PTTL', key)
      if ttl == -1 or (ttl >= 0 and now + ttl > expireAt) then redis.call('PEXPIREAT', key, expireAt) end
    end
    local index = tonumber(ARGV[at + 2])
    if index > 0 then redis.call('ZREM', KEYS[index], ARGV[at + 3]) end
    released = released + 1
  end
end
local first = 5 + 4 * m
if #ARGV >= first then
  redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, first))
  redis.call('XDEL', KEYS[1], unpack(ARGV, first))
end
return released
`,
});

/**
 * Ends a batch once its transaction committed, in one script: shortens the Redis life of each
 * of `archived` still as archived, takes it out of its reference index, and acknowledges and
 * deletes every one of `entryIds`. Resolves with how many records it shortened.
 */
export function finishArchivedBatch(
  redis: Redis | Cluster,
  settings: { readonly prefix: string; readonly hotMs: number; readonly now: number },
  archived: readonly ArchivedRecordKeys[],
  entryIds: readonly string[],
): Promise<number> {
  const keys = [archiveStreamKeys(settings.prefix).stream];
  for (const each of archived) keys.push(each.record, each.attempts);
  const perRecord = archived.flatMap((each) => {
    if (each.referenceIndex === undefined) return [each.updatedAt, each.status, 0, each.id];
    keys.push(each.referenceIndex);
    return [each.updatedAt, each.status, keys.length, each.id];
  });
  return FINISH.run(redis, keys, [
    ARCHIVE_GROUP,
    settings.now,
    settings.hotMs,
    archived.length,
    ...perRecord,
    ...entryIds,
  ]);
}
