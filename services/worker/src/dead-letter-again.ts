import type { SmsJobData } from '@sms/contracts';
import { type DeadLetterQueue, type DeadLetterReason, deadLetter, deadLetterEntry } from '@sms/queue';
import type { StatusRecord } from '@sms/status-store';

/** Why a message with each final status that keeps it in the dead-letter queue was put there. */
const REASON_OF_STATUS: Readonly<Partial<Record<StatusRecord['status'], DeadLetterReason>>> = {
  dead_lettered: 'rejected',
  failed: 'retries_exhausted',
  expired: 'expired',
};

/**
 * Puts a message back in the dead-letter queue from its final status record, when that status
 * keeps it there. A worker writes the final status before the dead letter, so that a worker
 * that no longer owns the job adds none; one that stopped between the two leaves a job behind,
 * and whoever finds the job finished adds the entry here. Adding an entry that exists changes
 * nothing (BullMQ keeps the first job of an id).
 */
export async function deadLetterAgain(
  queue: DeadLetterQueue,
  id: string,
  data: SmsJobData,
  record: StatusRecord | undefined,
): Promise<void> {
  const reason =
    record && Object.hasOwn(REASON_OF_STATUS, record.status) ? REASON_OF_STATUS[record.status] : undefined;
  if (record === undefined || reason === undefined) return;
  const last = {
    attempts: record.attempts,
    ...(record.lastCode !== undefined && { code: record.lastCode }),
    message: record.lastMessage ?? '',
  };
  await deadLetter(queue, id, deadLetterEntry(data, reason, last, record.updatedAt));
}
