import type { DeadLetterReason } from '@sms/contracts';
import {
  DEAD_LETTER_INDEX_VERSION,
  type DeadLetterIndexKeys,
  type DeadLetterQueue,
  deadLetterIndexKeys,
  indexSets,
  isIntegerReply,
  LUA_BYTE_ORDER,
  type RedisConnection,
  RedisScript,
} from '@sms/queue';
import { buildDeadLetterIndex } from './build-dead-letter-index';
import { decodeCursor, encodeCursor } from './dead-letter-cursor';
import type { DeadLetterFilter } from './dead-letter-query';
import { MessageLock } from './message-lock';
import { operatorKeys } from './operator-keys';

/** One member of a page of the index, with its entry's data when asked for. */
export interface IndexRow {
  readonly id: string;
  readonly deadLetteredAt: number;
  /** The entry's JSON: the job's data, or the journal copy of an interrupted replay. */
  readonly data?: string;
  /** Only in the replay journal: a replay took it out of the queue and did not finish. */
  readonly interrupted: boolean;
}

// One page of one index set, newest first, in one call of a few O(log n) reads. Positions count
// as ZREVRANGE does: the entries at or after `until` first, then those the filter selects, then
// those before `since`. The page starts after the cursor's (time, id): at the rank after its
// member when it is still there, else where it would stand, found by bisecting the members of its
// millisecond.
//   KEYS  the set read
//   ARGV  limit, since ('-inf' or ms), until ('+inf' or ms), the cursor's time ('' for none), its id
// Returns total, 1 when entries follow the page, then id and score of each member.
const PAGE = new RedisScript<readonly string[], readonly (string | number)[], unknown[]>({
  name: 'smsDeadLetterPage',
  lua: `${LUA_BYTE_ORDER}
local set, limit = KEYS[1], tonumber(ARGV[1])
local first = 0
if ARGV[3] ~= '+inf' then first = redis.call('ZCOUNT', set, ARGV[3], '+inf') end
local stop = redis.call('ZCOUNT', set, ARGV[2], '+inf')
local reply = { math.max(stop - first, 0), 0 }
if ARGV[4] ~= '' then
  local at, id = ARGV[4], ARGV[5]
  local after
  local score = redis.call('ZSCORE', set, id)
  if score and tonumber(score) == tonumber(at) then
    after = redis.call('ZREVRANK', set, id) + 1
  else
    local low = redis.call('ZCOUNT', set, '(' .. at, '+inf')
    local high = low + redis.call('ZCOUNT', set, at, at)
    while low < high do
      local middle = math.floor((low + high) / 2)
      if before(id, redis.call('ZREVRANGE', set, middle, middle)[1]) then low = middle + 1 else high = middle end
    end
    after = low
  end
  if after > first then first = after end
end
if first + limit < stop then reply[2] = 1 end
local last = math.min(first + limit, stop) - 1
if last < first then return reply end
for _, value in ipairs(redis.call('ZREVRANGE', set, first, last, 'WITHSCORES')) do
  reply[#reply + 1] = value
end
return reply`,
  isReply: Array.isArray,
});

// The entries of the ids given: the job's data, else the journal copy of an interrupted replay.
// An id whose job and journal copy are both gone (a crash between writes, or a removal since the
// page was read) gets '' and is removed from the index, unless it is being written.
//   KEYS  the replay journal, then every index set
//   ARGV  job key prefix, writing mark prefix, then ids
// Returns per id its data and 1 when it comes from the journal.
const ENTRIES = new RedisScript<readonly string[], readonly string[], unknown[]>({
  name: 'smsDeadLetterEntries',
  lua: `
local reply = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  local data, interrupted = redis.call('HGET', ARGV[1] .. id, 'data'), 0
  if not data then data, interrupted = redis.call('HGET', KEYS[1], id), 1 end
  if not data then
    data = ''
    if redis.call('EXISTS', ARGV[2] .. id) == 0 then
      for k = 2, #KEYS do redis.call('ZREM', KEYS[k], id) end
    end
  end
  reply[#reply + 1] = data
  reply[#reply + 1] = interrupted
end
return reply`,
  isReply: Array.isArray,
});

// Entries read per call: about 100 kB, which Redis copies out in well under a millisecond.
const ENTRIES_PER_CALL = 100;

// Takes an id out of the index once nothing holds its entry: no job, no journal copy, and no
// write in progress (a replayed message dead-lettered again meanwhile keeps its new member).
//   KEYS  every index set, the job hash, the replay journal, the writing mark;  ARGV  the id
const FORGET = new RedisScript<readonly string[], readonly string[], number>({
  name: 'smsForgetDeadLetter',
  lua: `
local n = #KEYS
if redis.call('EXISTS', KEYS[n - 2]) == 1 or redis.call('HEXISTS', KEYS[n - 1], ARGV[1]) == 1
    or redis.call('EXISTS', KEYS[n]) == 1 then
  return 0
end
for i = 1, n - 3 do redis.call('ZREM', KEYS[i], ARGV[1]) end
return 1`,
  isReply: isIntegerReply,
});

/** A page of the index: its members in order, how many the filter selects, where to go on. */
export interface IndexPage {
  readonly rows: IndexRow[];
  readonly total: number;
  readonly nextCursor?: string;
}

/**
 * The dead-letter index as readers use it: sorted sets of ids by `deadLetteredAt` (one for every
 * entry, one per reason; see `deadLetterIndexKeys` of `@sms/queue`), written by `deadLetter` and
 * kept by replay and delete. A page, a count and a removal each cost a few O(log n) reads,
 * whatever the size of the queue.
 */
export class DeadLetterIndex {
  readonly keys: DeadLetterIndexKeys;
  private readonly journalKey: string;
  private readonly buildLock: MessageLock;

  constructor(
    private readonly deadLetterQueue: DeadLetterQueue,
    private readonly redis: RedisConnection,
    prefix: string,
  ) {
    this.keys = deadLetterIndexKeys(prefix);
    const keys = operatorKeys(prefix);
    this.journalKey = keys.journal;
    // Long enough for any build: a build that outlives it is only joined by a second one.
    this.buildLock = new MessageLock(redis, keys.buildLockPrefix, 120_000);
  }

  /**
   * Builds the index from the queue unless it was built already (its version marker is set):
   * once after an upgrade from a gateway without it. When another process is building it, a
   * reader (`whenBusy: 'build'`) builds too, both writing the same members, while a background
   * task (`'skip'`) leaves it to the other. Resolves true when the index is known complete.
   */
  async ensureBuilt(whenBusy: 'build' | 'skip' = 'build'): Promise<boolean> {
    if ((await this.redis.get(this.keys.version)) === DEAD_LETTER_INDEX_VERSION) return true;
    const build = async () => {
      const complete = await buildDeadLetterIndex({
        deadLetterQueue: this.deadLetterQueue,
        redis: this.redis,
        keys: this.keys,
        journalKey: this.journalKey,
      });
      if (complete) await this.redis.set(this.keys.version, DEAD_LETTER_INDEX_VERSION);
      return complete;
    };
    const held = await this.buildLock.run('build', build);
    if (held.locked) return held.value;
    return whenBusy === 'build' ? build() : false;
  }

  /** How many entries the filter selects. */
  async count(filter: DeadLetterFilter): Promise<number> {
    const [since, until] = scoreBounds(filter);
    return this.redis.zcount(this.setOf(filter.reason), since, until === '+inf' ? until : `(${until}`);
  }

  /**
   * The page after `cursor` of the entries the filter selects, newest first, and the cursor of
   * the next page if any; with `withEntries`, each member's entry (members whose entry is gone
   * are dropped).
   */
  async page(
    filter: DeadLetterFilter,
    cursor: string | undefined,
    limit: number,
    withEntries: boolean,
  ): Promise<IndexPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const [since, until] = scoreBounds(filter);
    const reply = await PAGE.run(
      this.redis,
      [this.setOf(filter.reason)],
      [limit, since, until, after?.deadLetteredAt ?? '', after?.id ?? ''],
    );
    const members: IndexRow[] = [];
    for (let i = 2; i + 2 <= reply.length; i += 2) {
      members.push({ id: String(reply[i]), deadLetteredAt: Number(reply[i + 1]), interrupted: false });
    }
    const last = members.at(-1);
    const rows = withEntries ? await this.withEntries(members) : members;
    const total = Number(reply[0]);
    return reply[1] === 1 && last ? { rows, total, nextCursor: encodeCursor(last) } : { rows, total };
  }

  // The rows with their entries, read a chunk at a time (the chunks sent at once), leaving out
  // those whose entry is gone.
  private async withEntries(members: readonly IndexRow[]): Promise<IndexRow[]> {
    const chunks: IndexRow[][] = [];
    for (let i = 0; i < members.length; i += ENTRIES_PER_CALL) {
      chunks.push(members.slice(i, i + ENTRIES_PER_CALL));
    }
    const keys = [this.journalKey, ...indexSets(this.keys)];
    const prefixes = [this.deadLetterQueue.toKey(''), this.keys.writingPrefix];
    const replies = await Promise.all(
      chunks.map((chunk) => ENTRIES.run(this.redis, keys, [...prefixes, ...chunk.map((row) => row.id)])),
    );
    return chunks.flatMap((chunk, c) =>
      chunk.flatMap((row, i) => {
        const data = String(replies[c]![2 * i]);
        return data === '' ? [] : [{ ...row, data, interrupted: replies[c]![2 * i + 1] === 1 }];
      }),
    );
  }

  /**
   * Takes `id` out of the index if nothing holds its entry any more: called once a replay or a
   * delete has removed the job and the journal copy. True when it was taken out.
   */
  async forget(id: string): Promise<boolean> {
    const keys = [
      ...indexSets(this.keys),
      this.deadLetterQueue.toKey(id),
      this.journalKey,
      this.keys.writingPrefix + id,
    ];
    return (await FORGET.run(this.redis, keys, [id])) === 1;
  }

  private setOf(reason: DeadLetterReason | undefined): string {
    return reason === undefined ? this.keys.all : this.keys.byReason[reason];
  }
}

// `since` included, `until` excluded, as scores.
function scoreBounds(filter: DeadLetterFilter): [string, string] {
  return [
    filter.since === undefined ? '-inf' : String(filter.since),
    filter.until === undefined ? '+inf' : String(filter.until),
  ];
}
