import { DEAD_LETTER_REASONS, type DeadLetterReason, type SmsJobData } from '@sms/contracts';
import { Queue } from 'bullmq';
import { deadLetterIndexKeys, indexSets } from './dead-letter-index-keys';
import { DEAD_LETTER_QUEUE } from './queue-names';
import { isIntegerReply, RedisScript } from './redis-script';
import type { QueueSetup } from './sms-queue';

export type { DeadLetterReason };

/** A message set aside for an operator, with everything needed to judge or replay it. */
export interface DeadLetterEntry extends SmsJobData {
  readonly reason: DeadLetterReason;
  /** Kaarai's code of the last answer, when there was one. */
  readonly code?: number;
  readonly message: string;
  readonly attempts: number;
  readonly deadLetteredAt: number;
}

export type DeadLetterQueue = Queue<DeadLetterEntry>;

export function createDeadLetterQueue(setup: QueueSetup): DeadLetterQueue {
  return new Queue<DeadLetterEntry>(DEAD_LETTER_QUEUE, {
    connection: setup.connection,
    prefix: setup.prefix,
  });
}

/** How a message's last attempt ended, as its dead-letter entry keeps it. */
export interface LastOutcome {
  readonly attempts: number;
  /** Kaarai's code; 0 or absent when no answer arrived. */
  readonly code?: number;
  readonly message: string;
}

/** The entry that puts a message aside: its job's data and how its last attempt ended. */
export function deadLetterEntry(
  data: SmsJobData,
  reason: DeadLetterReason,
  last: LastOutcome,
  deadLetteredAt: number,
): DeadLetterEntry {
  return {
    ...data,
    reason,
    ...(last.code ? { code: last.code } : {}),
    message: last.message,
    attempts: last.attempts,
    deadLetteredAt,
  };
}

/** The key prefix a queue was opened with (`<prefix>:<name>` is its qualified name). */
export function queuePrefixOf(queue: Pick<Queue, 'qualifiedName' | 'name'>): string {
  return queue.qualifiedName.slice(0, -(queue.name.length + 1));
}

// How long the mark of a write in progress lasts: far beyond the two round trips it covers, so
// only a process that died (or stalled this long) between them leaves it to expire.
const WRITING_MARK_MS = 60_000;

// Puts the id in the index, unless its job exists already (a second add of the same id, which
// BullMQ ignores: the index keeps the first entry's time and reason), and marks the write as in
// progress. An id left in another reason's set by an earlier write that never added its job is
// moved.
//   KEYS  the index sets (every entry's, then one per reason), the job hash, the writing mark
//   ARGV  id, deadLetteredAt, position in KEYS of the reason's set, the mark's lifetime in ms
const INDEX_ENTRY = new RedisScript<readonly string[], readonly (string | number)[], number>({
  name: 'smsIndexDeadLetter',
  lua: `
local sets = #KEYS - 2
if redis.call('EXISTS', KEYS[sets + 1]) == 1 then return 0 end
redis.call('SET', KEYS[sets + 2], '1', 'PX', ARGV[4])
for i = 2, sets do redis.call('ZREM', KEYS[i], ARGV[1]) end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[tonumber(ARGV[3])], ARGV[2], ARGV[1])
return 1`,
  isReply: isIntegerReply,
});

/**
 * Puts a message aside under its own id. Adding twice (a job redelivered after a crash) keeps
 * one entry, because BullMQ ignores a job id it already has.
 *
 * The index first, then the job: a crash in between leaves an index member without a job, which
 * readers skip and remove (`@sms/dead-letters`), never a job that no listing shows. The mark of
 * the write in progress keeps readers from removing the member while the job is on its way.
 */
export async function deadLetter(queue: DeadLetterQueue, id: string, entry: DeadLetterEntry): Promise<void> {
  const client = await queue.getBackend().client;
  const keys = deadLetterIndexKeys(queuePrefixOf(queue));
  const sets = indexSets(keys);
  const mark = keys.writingPrefix + id;
  const marked = await INDEX_ENTRY.run(
    client,
    [...sets, queue.toKey(id), mark],
    // KEYS[1] is every entry's set; the reasons' sets follow in DEAD_LETTER_REASONS order.
    [id, entry.deadLetteredAt, 2 + DEAD_LETTER_REASONS.indexOf(entry.reason), WRITING_MARK_MS],
  );
  await queue.add(entry.reason, entry, { jobId: id, removeOnComplete: true });
  if (marked === 1) await client.del(mark);
}
