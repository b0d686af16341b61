import type { SmsJobData } from '@sms/contracts';
import type { JobsOptions } from 'bullmq';
import { messageJobOptions } from './message-job-options';
import { type SendJobSettings, sendJobOptions } from './send-job-options';

/**
 * The options of one message's send job: those of every send job, those it takes from its
 * message (its place by priority, its delay until `sendAt`) and its id. `enqueueSms` and
 * `enqueueBeforeDeadline` both build their jobs' options here, so an option added later reaches a
 * message whichever way it is added.
 */
export function jobOptionsOf(
  id: string,
  data: SmsJobData,
  settings: SendJobSettings,
  now = Date.now(),
): JobsOptions {
  return { ...sendJobOptions(settings), ...messageJobOptions(data, now), jobId: id };
}
