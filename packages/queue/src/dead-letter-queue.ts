import type { DeadLetterReason, SmsJobData } from '@sms/contracts';
import { Queue } from 'bullmq';
import { DEAD_LETTER_QUEUE } from './queue-names';
import type { QueueSetup } from './sms-queue';

export type { DeadLetterReason };

/** A message set aside for an operator, with everything needed to judge or replay it. */
export interface DeadLetterEntry extends SmsJobData {
  readonly reason: DeadLetterReason;
  /** Kaarai's code of the last answer, when there was one. */
  readonly code?: number;
  readonly message: string;
  readonly attempts: number;
  readonly deadLetteredAt: number;
}

export type DeadLetterQueue = Queue<DeadLetterEntry>;

export function createDeadLetterQueue(setup: QueueSetup): DeadLetterQueue {
  return new Queue<DeadLetterEntry>(DEAD_LETTER_QUEUE, {
    connection: setup.connection,
    prefix: setup.prefix,
  });
}

/** How a message's last attempt ended, as its dead-letter entry keeps it. */
export interface LastOutcome {
  readonly attempts: number;
  /** Kaarai's code; 0 or absent when no answer arrived. */
  readonly code?: number;
  readonly message: string;
}

/** The entry that puts a message aside: its job's data and how its last attempt ended. */
export function deadLetterEntry(
  data: SmsJobData,
  reason: DeadLetterReason,
  last: LastOutcome,
  deadLetteredAt: number,
): DeadLetterEntry {
  return {
    ...data,
    reason,
    ...(last.code ? { code: last.code } : {}),
    message: last.message,
    attempts: last.attempts,
    deadLetteredAt,
  };
}

/**
 * Puts a message aside under its own id. Adding twice (a job redelivered after a crash) keeps
 * one entry, because BullMQ ignores a job id it already has.
 */
export async function deadLetter(queue: DeadLetterQueue, id: string, entry: DeadLetterEntry): Promise<void> {
  await queue.add(entry.reason, entry, { jobId: id, removeOnComplete: true });
}
