import type { StatusEvents } from '@sms/callbacks';
import type { SmsJobData } from '@sms/contracts';
import type { WorkerMetrics } from '@sms/metrics';
import { type DeadLetterQueue, deadLetter, deadLetterEntry, type SmsQueue } from '@sms/queue';
import { recordIdentity, type StatusStore } from '@sms/status-store';
import type { Job } from 'bullmq';
import { deadLetterAgain } from './dead-letter-again';

export interface GivenUpDeps {
  readonly statusStore: StatusStore;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly metrics: Pick<WorkerMetrics, 'deadLettered' | 'unknown'>;
  readonly statusEvents?: StatusEvents;
  readonly now?: () => number;
}

/**
 * Ends a message whose job BullMQ gave up on its own (a bug in the processor, a job that
 * stalled more often than `maxStalledCount`): `failed`, kept in the dead-letter queue, and only
 * then is the job removed. Send jobs are kept when they fail (`removeOnFail: false`) so that a
 * write Redis refused here is tried again (`sweepGivenUpJobs`) instead of losing the message.
 * A message already final (sent by another worker meanwhile) keeps its status. Resolves true
 * when this call ended the message.
 */
export async function recordGivenUpJob(job: Job<SmsJobData>, deps: GivenUpDeps): Promise<boolean> {
  const id = job.id!;
  const now = deps.now ?? Date.now;
  const attempts = Math.max(job.attemptsMade, 1);
  const message = job.failedReason || 'given up by the queue';
  if (job.data.delivery === 'at-most-once' && (await deps.statusStore.read(id))?.status === 'sending') {
    return recordGivenUpUnknown(job, deps, attempts, message);
  }
  const outcome = await deps.statusStore.write(
    id,
    { status: 'failed', attempts, lastMessage: message, ...recordIdentity(job.data) },
    { attempt: attempts, outcome: 'retries_exhausted', message, at: now() },
  );
  if (outcome === 'written') {
    await deadLetter(
      deps.deadLetterQueue,
      id,
      deadLetterEntry(job.data, 'retries_exhausted', { attempts, message }, now()),
    );
  } else {
    // Final already: written by this very step before a stop, or by another worker.
    await deadLetterAgain(deps.deadLetterQueue, id, job.data, await deps.statusStore.read(id));
  }
  await job.remove();
  if (outcome !== 'written') return false;
  await deps.statusEvents?.emit(id, job.data, 'failed');
  deps.metrics.deadLettered.inc({ reason: 'retries_exhausted' });
  return true;
}

/**
 * An at-most-once job given up while its record said `sending` (its worker stalled, or was
 * killed, once too often mid-call): Kaarai may have the message, so it ends `unknown`, not
 * `failed` in the dead-letter queue, whose replay would be the second send the mode forbids.
 * BullMQ has failed the job, so no worker holds it, and no other write can come between the
 * read and this one but another sweep's, which then finds the status final.
 */
async function recordGivenUpUnknown(
  job: Job<SmsJobData>,
  deps: GivenUpDeps,
  attempts: number,
  message: string,
): Promise<boolean> {
  const id = job.id!;
  const at = (deps.now ?? Date.now)();
  const outcome = await deps.statusStore.write(
    id,
    { status: 'unknown', attempts, lastMessage: message, ...recordIdentity(job.data) },
    { attempt: attempts, outcome: 'unknown:worker_lost', message, at },
  );
  await job.remove();
  if (outcome !== 'written') return false;
  await deps.statusEvents?.emit(id, job.data, 'unknown');
  deps.metrics.unknown.inc({ reason: 'worker_lost' });
  return true;
}

/**
 * Ends every send job left among the failed ones (`recordGivenUpJob`), oldest first, up to
 * `batch` of them; returns the ids of the messages it ended. Any worker may run it, any number
 * of times: a job another worker ended meanwhile is gone, or final.
 */
export async function sweepGivenUpJobs(queue: SmsQueue, deps: GivenUpDeps, batch = 100): Promise<string[]> {
  const ended: string[] = [];
  for (const job of await queue.getFailed(0, batch - 1)) {
    if (await recordGivenUpJob(job, deps)) ended.push(job.id!);
  }
  return ended;
}
