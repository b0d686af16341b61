import type { MessageStatus, SmsJobData } from '@sms/contracts';
import { type DeadLetterEntry, type DeadLetterQueue, enqueueSms, type SmsQueue } from '@sms/queue';
import { recordIdentity, type StatusStore } from '@sms/status-store';
import type { z } from 'zod';
import type { DeadLetterIndex } from './dead-letter-index';
import type { replayedSchema } from './dead-letter-views';
import type { ReplayJournal } from './replay-journal';

/** The reads of a message's status and history, from Redis and, when there is one, the archive. */
export type StatusReads = Pick<StatusStore, 'read' | 'attempts'>;

export interface ReplaySteps {
  readonly deadLetterQueue: DeadLetterQueue;
  readonly smsQueue: SmsQueue;
  /** Writes the replayed message's status; `statusLookup` reads it. */
  readonly statusStore: StatusStore;
  readonly statusLookup: StatusReads;
  readonly journal: ReplayJournal;
  readonly index: Pick<DeadLetterIndex, 'forget'>;
  readonly sendAttempts: number;
  readonly now: () => number;
}

export interface ReplayOptions {
  /**
   * Seconds the replayed message stays worth sending, counted from the replay.
   * @defaultValue the message's original validity (`expiresAt` less its `sendAt` or `acceptedAt`); none if it had none
   */
  readonly validFor?: number;
}

export type ReplayResult =
  | z.output<typeof replayedSchema>
  /** Not in the dead-letter queue: never was, already replayed or deleted, or being replayed now. */
  | { readonly outcome: 'not_found'; readonly id: string }
  /** The send job that dead-lettered it is still finishing; try again in a moment. */
  | { readonly outcome: 'busy'; readonly id: string };

// Statuses in which a message whose replay was interrupted still needs its send job: the ones
// it has while dead-lettered, and `queued`, which a replay writes just before adding the job.
// In any other status the job was added and has run (or runs now).
const AWAITING_JOB: ReadonlySet<MessageStatus> = new Set(['queued', 'dead_lettered', 'failed', 'expired']);

/**
 * Puts a dead-lettered message back on the send queue under its own id. The caller holds the
 * message's lock, so replays of one message never interleave.
 *
 * The order of the steps is what keeps a message from being sent twice or lost:
 * 1. The entry is copied to the journal, then removed from the dead-letter queue. It must be gone
 *    before the send job exists: while a dead-letter entry holds the id, BullMQ ignores the
 *    worker's `deadLetter` add, so a replayed message refused again would end in no queue at all.
 * 2. The status goes back to `queued` before the job is added, because the worker does not send
 *    a message whose status is final.
 * 3. The job is added with the id as its job id, then the journal copy is deleted, and then the
 *    index member (which a dead letter of the replayed message written meanwhile keeps).
 * A crash between the steps leaves the journal copy; replaying the id again resumes from it and
 * adds the job only if none exists and the status shows it never ran, so a message that was
 * delivered is not sent again. Should a job still be added twice, BullMQ keeps one job per id,
 * and the worker skips a job whose message is already final.
 */
export async function replayMessage(
  steps: ReplaySteps,
  id: string,
  options: ReplayOptions,
): Promise<ReplayResult> {
  let entry: DeadLetterEntry;
  const job = await steps.deadLetterQueue.getJob(id);
  if (job) {
    // The worker writes the final status after the entry and only then lets its job go; until
    // the job is gone, a status written here could be overwritten.
    if (await steps.smsQueue.getJob(id)) return { outcome: 'busy', id };
    entry = job.data;
    await steps.journal.save(id, entry);
    await steps.deadLetterQueue.remove(id);
  } else {
    const saved = await steps.journal.read(id);
    if (!saved) {
      // A member a crash left without its entry goes with the answer.
      await steps.index.forget(id);
      return { outcome: 'not_found', id };
    }
    entry = saved;
    if (!(await awaitsJob(steps, id))) {
      await steps.journal.remove(id);
      await steps.index.forget(id);
      return { outcome: 'replayed', id };
    }
  }

  const now = steps.now();
  const data = jobData(entry, now, options.validFor);
  const record = await readRestoringHistory(steps, id);
  const attempts = record?.attempts ?? entry.attempts;
  await steps.statusStore.write(
    id,
    { status: 'queued', attempts, ...recordIdentity(entry) },
    { attempt: attempts, outcome: 'replayed', message: `replayed after ${entry.reason}`, at: now },
    // A replay takes the message out of its final state on purpose: the one write that may.
    { reopen: true },
  );
  await enqueueSms(steps.smsQueue, id, data, { attempts: steps.sendAttempts });
  await steps.journal.remove(id);
  // The index member stayed while the journal held the entry, so an interrupted replay is listed.
  await steps.index.forget(id);
  return {
    outcome: 'replayed',
    id,
    ...(data.expiresAt !== undefined && { expiresAt: new Date(data.expiresAt).toISOString() }),
  };
}

// A message replayed past its hot window has its record and history in the archive only: the
// history goes back to Redis first, so that the replay's attempt adds to it, and the views (and
// the archive, when the message is final again) keep every attempt.
async function readRestoringHistory(steps: ReplaySteps, id: string) {
  const inRedis = await steps.statusStore.read(id);
  if (inRedis) return inRedis;
  const archived = await steps.statusLookup.read(id);
  if (archived) await steps.statusStore.restoreAttempts(id, await steps.statusLookup.attempts(id));
  return archived;
}

// Job first, status second: a job that finishes between the two reads has written its final
// status before BullMQ removes it, so it cannot slip through both.
async function awaitsJob(steps: ReplaySteps, id: string): Promise<boolean> {
  if (await steps.smsQueue.getJob(id)) return false;
  const record = await steps.statusLookup.read(id);
  return record === undefined || AWAITING_JOB.has(record.status);
}

/** The send job's data: the message as submitted, with a fresh expiry counted from `now`. */
export function jobData(entry: DeadLetterEntry, now: number, validFor?: number): SmsJobData {
  const { reason: _r, code: _c, message: _m, attempts: _a, deadLetteredAt: _d, expiresAt, ...sms } = entry;
  const seconds =
    validFor ??
    (expiresAt === undefined
      ? undefined
      : Math.round((expiresAt - (entry.sendAt ?? entry.acceptedAt)) / 1000));
  return seconds === undefined ? sms : { ...sms, expiresAt: now + seconds * 1000 };
}
