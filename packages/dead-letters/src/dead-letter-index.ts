import { type DeadLetterReason, isDeadLetterReason } from '@sms/contracts';
import type { DeadLetterQueue, RedisConnection } from '@sms/queue';
import { compareNewestFirst, decodeCursor, encodeCursor } from './dead-letter-cursor';
import type { DeadLetterFilter } from './dead-letter-query';
import type { ReplayJournal } from './replay-journal';

/** What listing, counting and replaying by filter need of each entry: its sort and filter keys. */
export interface IndexRow {
  readonly id: string;
  readonly reason: DeadLetterReason;
  readonly deadLetteredAt: number;
  /** Only in the replay journal: a replay took it out of the queue and did not finish. */
  readonly interrupted: boolean;
}

// Reads the reason and time of each entry inside Redis, so that filtering a large queue moves
// only a few bytes per entry over the network instead of every text. Entries removed since their
// ids were read are skipped. Job hashes are `<queue key prefix><id>` (BullMQ's `toKey(id)`).
// KEYS[1] is that prefix: not a key itself, but it routes the call to the Redis Cluster node
// holding the queue's slot, where every job hash is too (the prefix carries the hash tag).
const READ_KEYS = `
local out = {}
for i = 1, #ARGV do
  local data = redis.call('HGET', KEYS[1] .. ARGV[i], 'data')
  if data then
    local ok, entry = pcall(cjson.decode, data)
    if ok and type(entry) == 'table' and type(entry.reason) == 'string'
        and type(entry.deadLetteredAt) == 'number' then
      out[#out + 1] = ARGV[i]
      out[#out + 1] = entry.reason
      out[#out + 1] = string.format('%.0f', entry.deadLetteredAt)
    end
  end
end
return out`;

// Entries per script call: bounds how long one call holds Redis.
const CHUNK = 500;

/**
 * Every entry of the dead-letter queue, plus the interrupted replays of the journal, unsorted.
 * An entry without a known reason, or without a time, is left out, as one whose data is not
 * JSON: no filter could select it, and one bad entry must not stop an operator from listing and
 * replaying the others; `show(id)` still shows it.
 * Costs one pass over the queue per call, which suits an operator tool on queues of up to some
 * hundred thousand entries.
 */
export async function readIndex(
  deadLetterQueue: DeadLetterQueue,
  redis: RedisConnection,
  journal: ReplayJournal,
): Promise<IndexRow[]> {
  // Nothing consumes the queue, so every entry waits in it (BullMQ 6 keeps the jobs of a
  // paused queue in the wait list too).
  const ids = await deadLetterQueue.getRanges(['waiting'], 0, -1);
  const rows = new Map<string, IndexRow>();
  const jobKeyPrefix = deadLetterQueue.toKey('');
  for (let start = 0; start < ids.length; start += CHUNK) {
    const flat = (await redis.eval(
      READ_KEYS,
      1,
      jobKeyPrefix,
      ...ids.slice(start, start + CHUNK),
    )) as string[];
    for (let i = 0; i + 2 < flat.length; i += 3) {
      const id = flat[i]!;
      const reason = flat[i + 1];
      if (isDeadLetterReason(reason)) {
        rows.set(id, { id, reason, deadLetteredAt: Number(flat[i + 2]), interrupted: false });
      }
    }
  }
  for (const [id, entry] of await journal.all()) {
    if (!rows.has(id) && isDeadLetterReason(entry.reason)) {
      rows.set(id, { id, reason: entry.reason, deadLetteredAt: entry.deadLetteredAt, interrupted: true });
    }
  }
  return [...rows.values()];
}

/** The rows a filter selects, newest first. */
export function selectRows(rows: readonly IndexRow[], filter: DeadLetterFilter): IndexRow[] {
  return rows
    .filter(
      (row) =>
        (filter.reason === undefined || row.reason === filter.reason) &&
        (filter.since === undefined || row.deadLetteredAt >= filter.since) &&
        (filter.until === undefined || row.deadLetteredAt < filter.until),
    )
    .sort(compareNewestFirst);
}

/** The page after `cursor` of rows sorted newest first, and the cursor of the next page if any. */
export function pageOf(
  sorted: readonly IndexRow[],
  cursor: string | undefined,
  limit: number,
): { rows: IndexRow[]; nextCursor?: string } {
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  const start = after === undefined ? 0 : firstAfter(sorted, after);
  const rows = sorted.slice(start, start + limit);
  const last = rows.at(-1);
  return start + limit < sorted.length && last ? { rows, nextCursor: encodeCursor(last) } : { rows };
}

// Binary search: the first row that sorts after the cursor's position.
function firstAfter(sorted: readonly IndexRow[], position: { deadLetteredAt: number; id: string }): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareNewestFirst(sorted[middle]!, position) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
