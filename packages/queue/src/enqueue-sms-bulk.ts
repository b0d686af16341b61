import type { SmsJobData } from '@sms/contracts';
import { jobOptionsOf } from './job-options-of';
import { SEND_JOB } from './queue-names';
import type { SendJobSettings } from './send-job-options';
import type { SmsQueue } from './sms-queue';

/** One message of a bulk add: its id (the job id) and its job. */
export interface SmsJobToAdd {
  readonly id: string;
  readonly data: SmsJobData;
}

/**
 * Adds many messages to the send queue, each with the options `enqueueSms` gives it
 * (`jobOptionsOf`: its place by priority, its delay until `sendAt`), in one BullMQ `addBulk`,
 * which sends one script call per job in a single pipeline: one round trip, and Redis serves
 * other clients between the calls.
 * It is not a transaction: when it rejects, some of the jobs may be in Redis. An id BullMQ
 * already holds is left as it is, so adding the same ids again completes a partial add.
 */
export async function enqueueSmsBulk(
  queue: SmsQueue,
  jobs: readonly SmsJobToAdd[],
  settings: SendJobSettings,
): Promise<void> {
  if (jobs.length === 0) return;
  const now = Date.now();
  await queue.addBulk(
    jobs.map(({ id, data }) => ({ name: SEND_JOB, data, opts: jobOptionsOf(id, data, settings, now) })),
  );
}
