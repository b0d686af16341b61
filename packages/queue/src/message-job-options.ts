import type { SmsJobData, SmsPriority } from '@sms/contracts';
import type { JobsOptions } from 'bullmq';

/**
 * Where each priority puts a send job. A BullMQ worker takes jobs from the wait list first and
 * from the prioritized set only while the wait list is empty (moveToActive-11.lua: RPOPLPUSH on
 * `wait`, then ZPOPMIN on `prioritized`), so a BullMQ priority can only hold a job back:
 * - normal: a plain job appended to the wait list, first in first out, O(1): the path most
 *   messages take stays as fast as it was;
 * - high: a plain job pushed onto the end the worker takes from (`lifo`), so it is the next one
 *   taken, before every waiting normal and bulk message; among high ones the newest goes first;
 * - bulk: a prioritized job (a sorted set, O(log n)), taken only while no normal or high one waits.
 * BullMQ moves a delayed job (a scheduled message, or a retry after its backoff) to the back of
 * the wait list whatever its `lifo` (promoteDelayedJobs.lua), so a high message that waited for
 * its `sendAt` or a retry queues behind the normal ones already waiting; bulk stays behind both.
 */
export const PRIORITY_JOB_OPTIONS = {
  high: { lifo: true },
  normal: {},
  bulk: { priority: 1 },
} as const satisfies Record<SmsPriority, Pick<JobsOptions, 'lifo' | 'priority'>>;

/** The options a send job takes from its message: its place in the queue, and its delay until `sendAt`. */
export function messageJobOptions(
  data: Pick<SmsJobData, 'priority' | 'sendAt'>,
  now = Date.now(),
): JobsOptions {
  const delay = data.sendAt === undefined ? 0 : data.sendAt - now;
  return { ...PRIORITY_JOB_OPTIONS[data.priority ?? 'normal'], ...(delay > 0 && { delay }) };
}
