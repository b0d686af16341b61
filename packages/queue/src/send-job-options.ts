import type { JobsOptions } from 'bullmq';
import { SEND_BACKOFF } from './queue-names';

export interface SendJobSettings {
  /** Attempts to send a message before it is given up as `failed`. */
  readonly attempts: number;
}

/**
 * Options of every send job. A finished job is removed at once: its outcome lives in the status
 * record (which expires on its own schedule) and, for refused messages, in the dead-letter
 * queue, so completed jobs would only make Redis grow.
 */
export function sendJobOptions(settings: SendJobSettings): JobsOptions {
  return {
    attempts: settings.attempts,
    backoff: { type: SEND_BACKOFF },
    removeOnComplete: true,
    removeOnFail: true,
  };
}
