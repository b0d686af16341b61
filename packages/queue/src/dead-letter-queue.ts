import type { SmsJobData } from '@sms/contracts';
import { Queue } from 'bullmq';
import { DEAD_LETTER_QUEUE } from './queue-names';
import type { QueueSetup } from './sms-queue';

/** Why a message ended in the dead-letter queue. */
export type DeadLetterReason = 'rejected' | 'retries_exhausted' | 'expired';

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

/**
 * Puts a message aside under its own id. Adding twice (a job redelivered after a crash) keeps
 * one entry, because BullMQ ignores a job id it already has.
 */
export async function deadLetter(queue: DeadLetterQueue, id: string, entry: DeadLetterEntry): Promise<void> {
  await queue.add(entry.reason, entry, { jobId: id, removeOnComplete: true });
}
