import { CALLBACK_BACKOFF, CALLBACK_JOB, CALLBACK_QUEUE, type QueueSetup } from '@sms/queue';
import { Queue } from 'bullmq';

/** What a callback job carries: which message's outbox to work on. Its events are in the outbox. */
export interface CallbackJobData {
  readonly messageId: string;
  readonly client: string;
}

export type CallbackQueue = Queue<CallbackJobData>;

export interface CallbackJobSettings {
  /** Attempts to deliver one event before it is given up. */
  readonly attempts: number;
}

// A job given up stays in the failed set for operators, within bounds, so Redis does not grow.
const KEEP_GIVEN_UP = { age: 7 * 24 * 3600, count: 10_000 };

export function createCallbackQueue(setup: QueueSetup): CallbackQueue {
  return new Queue<CallbackJobData>(CALLBACK_QUEUE, { connection: setup.connection, prefix: setup.prefix });
}

/**
 * Makes sure a job will work on the message's outbox. BullMQ's deduplication keeps at most one
 * job per message alive, so no two events of a message are ever posted at once; with
 * `keepLastIfActive`, an add while that job is active is kept and becomes a new job when it
 * finishes (requeueDeduplicatedJob.lua), so an event pushed just as the job finds the outbox
 * empty is not stranded. An add while the job waits or backs off is dropped: that job will
 * reach the new event, since each job ends by asking for a successor while events remain.
 * https://docs.bullmq.io/guide/jobs/deduplication
 */
export async function scheduleCallbacks(
  queue: CallbackQueue,
  data: CallbackJobData,
  settings: CallbackJobSettings,
): Promise<void> {
  await queue.add(CALLBACK_JOB, data, {
    deduplication: { id: data.messageId, keepLastIfActive: true },
    attempts: settings.attempts,
    backoff: { type: CALLBACK_BACKOFF },
    removeOnComplete: true,
    removeOnFail: KEEP_GIVEN_UP,
  });
}
