import type { SmsJobData } from '@sms/contracts';
import { type IRedisTransaction, Job, type RedisClient } from 'bullmq';
import { DeadlinePassedError } from './deadline-passed-error';
import { jobOptionsOf } from './job-options-of';
import { isNoScript, loadScriptsAgain } from './load-scripts-again';
import { SEND_JOB } from './queue-names';
import { queueDeadlineCheck, transactionWithDeadlineChecks } from './refuse-after-deadline';
import type { SendJobSettings } from './send-job-options';
import type { SmsQueue } from './sms-queue';

/** One message to add: its id (the job id) and its job. */
export interface SmsJobToAdd {
  readonly id: string;
  readonly data: SmsJobData;
}

type Reply = [Error | null, unknown];

/**
 * Adds messages to the send queue, each with the options `enqueueSms` gives it, in one Redis
 * transaction that Redis refuses when it runs it after `deadline` (ms since the epoch, read on
 * Redis' clock): then none of the jobs is stored, and this rejects with `DeadlinePassedError`.
 * A caller that stops waiting at some moment and passes a deadline before it, by more than the
 * clocks of the two hosts may differ and a reply may take to come back, knows that an enqueue
 * it gave up on stores nothing, however late Redis runs it (a Redis that was stopped, a command
 * that waited in a socket buffer, one that ioredis sent again after reconnecting).
 *
 * All or nothing: jobs Redis already holds are left as they are, and count as added. Resolves
 * once Redis holds every job.
 */
export async function enqueueBeforeDeadline(
  queue: SmsQueue,
  jobs: readonly SmsJobToAdd[],
  settings: SendJobSettings,
  deadline: number,
): Promise<void> {
  if (jobs.length === 0) return;
  const client = await queue.client;
  let replies = await addInTransaction(queue, client, jobs, settings, deadline);
  if (replies.some(([error]) => isNoScript(error))) {
    await loadScriptsAgain(client);
    const adds = replies.slice(1, -1);
    if (adds.every(([error]) => isNoScript(error))) {
      // Nothing was added, so the same transaction, deadline included, can simply run again.
      replies = await addInTransaction(queue, client, jobs, settings, deadline);
    }
  }
  settle(replies, deadline);
}

// Built as BullMQ's own Job.createBulk builds its pipeline, with the check around the adds.
async function addInTransaction(
  queue: SmsQueue,
  client: RedisClient,
  jobs: readonly SmsJobToAdd[],
  settings: SendJobSettings,
  deadline: number,
): Promise<Reply[]> {
  const now = Date.now();
  const check = { keyPrefix: queue.toKey(''), deadline, ids: jobs.map(({ id }) => id) };
  const transaction: IRedisTransaction = transactionWithDeadlineChecks(client);
  queueDeadlineCheck(transaction, 'refuse', check);
  for (const { id, data } of jobs) {
    const opts = { ...queue.jobsOpts, ...jobOptionsOf(id, data, settings, now) };
    // Its promise settles when the add is queued, not run; the outcome is in EXEC's reply.
    new Job<SmsJobData>(queue, SEND_JOB, data, opts, id).addJob(transaction).catch(() => {});
  }
  queueDeadlineCheck(transaction, 'clear', check);
  const replies = await transaction.exec();
  if (replies === null) throw new Error('Redis discarded the enqueue transaction');
  return replies;
}

function settle(replies: readonly Reply[], deadline: number): void {
  const [refusal, ...rest] = replies;
  const clearing = rest.pop();
  const refused = refusal?.[0] === null ? Number(refusal[1]) : 0;
  if (refused > 0) {
    if (clearing?.[0] !== null || Number(clearing[1]) !== refused) {
      throw new Error(
        `Redis refused ${refused} late job(s) but did not clear their markers: ${clearing?.[0]?.message ?? clearing?.[1]}`,
      );
    }
    throw new DeadlinePassedError(deadline, refused);
  }
  const failed = rest.find(([error]) => error !== null);
  if (failed) throw failed[0];
}
