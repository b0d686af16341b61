import type { Queue } from 'bullmq';
import type { RedisConnection } from './redis-connections';

export const QUEUE_STATES = ['waiting', 'delayed', 'active', 'prioritized', 'failed'] as const;
export type QueueStateName = (typeof QUEUE_STATES)[number];

export interface QueueState {
  readonly counts: Readonly<Record<QueueStateName, number>>;
  /** Age of the oldest waiting job, in seconds; 0 when none waits. */
  readonly oldestWaitingAgeSeconds: number;
}

/**
 * Reads a queue's depths cheaply enough to run on every scrape of every replica: one script
 * call for the counts, and two commands for the oldest waiting job (BullMQ takes jobs from the
 * right end of the wait list, so the oldest is the last element, unless a high-priority one was
 * just pushed there). A job that was delayed (scheduled for later) waits from the end of its
 * delay, not from when it was added.
 */
export async function readQueueState(
  queue: Queue,
  redis: RedisConnection,
  now = Date.now(),
): Promise<QueueState> {
  const counts = await queue.getJobCounts(...QUEUE_STATES);
  const oldestId = await redis.lindex(queue.keys.wait!, -1);
  const [timestamp, opts] = oldestId ? await redis.hmget(queue.toKey(oldestId), 'timestamp', 'opts') : [];
  return {
    counts: Object.fromEntries(QUEUE_STATES.map((state) => [state, counts[state] ?? 0])) as Record<
      QueueStateName,
      number
    >,
    oldestWaitingAgeSeconds: timestamp ? Math.max(0, (now - Number(timestamp) - delayOf(opts)) / 1000) : 0,
  };
}

function delayOf(opts: string | null | undefined): number {
  try {
    const delay: unknown = JSON.parse(opts ?? '{}').delay;
    return typeof delay === 'number' ? delay : 0;
  } catch {
    return 0;
  }
}
