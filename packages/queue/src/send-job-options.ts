import type { JobsOptions } from 'bullmq';
import { SEND_BACKOFF } from './queue-names';

export interface SendJobSettings {
  /** Attempts to send a message before it is given up as `failed`. */
  readonly attempts: number;
}

/**
 * Options of every send job. A completed job is removed at once: its outcome lives in the status
 * record (which expires on its own schedule) and, for refused messages, in the dead-letter
 * queue, so completed jobs would only make Redis grow. A job BullMQ fails on its own is kept
 * until a worker has written its final state and dead letter, and removes it (services/worker's
 * record-given-up-job.ts): removed at once, a job whose final write Redis refused would be lost.
 */
export function sendJobOptions(settings: SendJobSettings): JobsOptions {
  return {
    attempts: settings.attempts,
    backoff: { type: SEND_BACKOFF },
    removeOnComplete: true,
    removeOnFail: false,
  };
}
