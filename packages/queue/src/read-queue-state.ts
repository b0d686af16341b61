import type { Queue } from 'bullmq';
import { deadLetterIndexKeys } from './dead-letter-index-keys';
import { queuePrefixOf } from './dead-letter-queue';
import { DEAD_LETTER_QUEUE } from './queue-names';
import type { RedisConnection } from './redis-connections';

/**
 * The states a queue's jobs are counted in. BullMQ's `delayed` is split by when a job falls
 * due: within `DUE_WITHIN_MS` it is `delayed` (mostly retries after their backoff), later it is
 * `scheduled` (messages whose `sendAt` is ahead, up to 30 days, and long backoffs). What is due
 * is what workers must be there for; a campaign scheduled for tomorrow is not.
 */
export const QUEUE_STATES = ['waiting', 'delayed', 'scheduled', 'active', 'prioritized', 'failed'] as const;
export type QueueStateName = (typeof QUEUE_STATES)[number];

/** How soon a delayed job must fall due to count as `delayed` rather than `scheduled`. */
export const DUE_WITHIN_MS = 60_000;

// BullMQ scores a delayed job `dueAt * 0x1000 + n`, n < 0x1000, to keep the order of jobs due
// in the same millisecond (its getDelayedScore.lua).
const DELAYED_SCORE_FACTOR = 0x1000;

export interface QueueState {
  readonly counts: Readonly<Record<QueueStateName, number>>;
  /** Age of the oldest waiting job, in seconds; 0 when none waits. */
  readonly oldestWaitingAgeSeconds: number;
  /**
   * Only for the dead-letter queue: age of its oldest entry by `deadLetteredAt`, in seconds, from
   * the dead-letter index; 0 when the index holds none.
   */
  readonly oldestDeadLetterAgeSeconds?: number;
}

/**
 * Reads a queue's depths cheaply enough to run on every scrape of every replica: one script
 * call for the counts, one transaction of two ZCOUNTs for the delayed ones (both read the same
 * sorted set at the same moment, so each job is in exactly one of them; BullMQ has no count of
 * delayed jobs by due time), and two commands for the oldest waiting job (`getWaiting(0, 0)`
 * lists from the end workers take from, where the oldest is unless a high-priority one was just
 * pushed there, then reads that job). A job that was delayed (scheduled for later) waits from the end of its delay,
 * not from when it was added. For the dead-letter queue, one more command reads the oldest entry
 * of the dead-letter index.
 */
export async function readQueueState(
  queue: Queue,
  redis: RedisConnection,
  now = Date.now(),
): Promise<QueueState> {
  const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'failed');
  const firstScheduledScore = (now + DUE_WITHIN_MS + 1) * DELAYED_SCORE_FACTOR;
  const [due = 0, later = 0] = (
    (await redis
      .multi()
      .zcount(queue.keys.delayed!, '-inf', `(${firstScheduledScore}`)
      .zcount(queue.keys.delayed!, firstScheduledScore, '+inf')
      .exec()) ?? []
  ).map(([error, count]) => {
    if (error) throw error;
    return Number(count);
  });
  counts.delayed = due;
  counts.scheduled = later;
  const [oldest] = await queue.getWaiting(0, 0);
  const oldestDeadLetter =
    queue.name === DEAD_LETTER_QUEUE ? await oldestDeadLetterAgeSeconds(queue, redis, now) : undefined;
  return {
    counts: Object.fromEntries(QUEUE_STATES.map((state) => [state, counts[state] ?? 0])) as Record<
      QueueStateName,
      number
    >,
    oldestWaitingAgeSeconds: oldest
      ? Math.max(0, (now - oldest.timestamp - (oldest.opts.delay ?? 0)) / 1000)
      : 0,
    ...(oldestDeadLetter !== undefined && { oldestDeadLetterAgeSeconds: oldestDeadLetter }),
  };
}

// The index's first member is the oldest entry; its score is when it was dead-lettered.
async function oldestDeadLetterAgeSeconds(
  queue: Queue,
  redis: RedisConnection,
  now: number,
): Promise<number> {
  const [, score] = await redis.zrange(deadLetterIndexKeys(queuePrefixOf(queue)).all, 0, 0, 'WITHSCORES');
  return score === undefined ? 0 : Math.max(0, (now - Number(score)) / 1000);
}
