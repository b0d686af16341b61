import { randomUUID } from 'node:crypto';
import { maskNumber } from '@sms/contracts';
import { type DeadLetterEntry, type DeadLetterQueue, deadLetter } from '@sms/queue';
import type { StatusStore } from '@sms/status-store';

/** Where a seeded dead letter goes: one gateway's dead-letter queue and status records. */
export interface DeadLetterSeedTarget {
  readonly deadLetterQueue: DeadLetterQueue;
  readonly statusStore: StatusStore;
}

/**
 * Puts a message aside as the worker does after Kaarai refused it with 4031 (its status record
 * `dead_lettered` with one attempt, its entry in the dead-letter queue), and returns its id.
 * `overrides` change the entry: another reason, time, client or receiver.
 */
export async function seedDeadLetter(
  target: DeadLetterSeedTarget,
  overrides: Partial<DeadLetterEntry> = {},
): Promise<string> {
  const id = randomUUID();
  const entry: DeadLetterEntry = {
    to: '573001234567',
    text: `text of ${id}`,
    client: 'billing',
    acceptedAt: Date.now() - 3_600_000,
    reason: 'rejected',
    code: 4031,
    message: 'Not routable',
    attempts: 1,
    deadLetteredAt: Date.now(),
    ...overrides,
  };
  await target.statusStore.write(
    id,
    {
      status: 'dead_lettered',
      attempts: 1,
      client: entry.client,
      to: maskNumber(entry.to),
      createdAt: entry.acceptedAt,
    },
    { attempt: 1, code: 4031, outcome: 'rejected', message: 'Not routable', at: entry.deadLetteredAt },
  );
  await deadLetter(target.deadLetterQueue, id, entry);
  return id;
}
