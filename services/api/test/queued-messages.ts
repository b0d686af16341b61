import { type DeadLetterEntry, deadLetter } from '@sms/queue';
import type { RunningApi } from './start-api';

/** A message sent through the API, whose receiver, sender and text the queue UI must not show. */
export const SENT = { to: '573001234567', from: '573009876543', text: 'Your code is 1234' } as const;
/** A dead letter, whose receiver and text the queue UI must not show either. */
export const DEAD = { id: 'dead-1', to: '9991234567', text: 'Meet at the north gate' } as const;

/** What the UI shows instead, by default (`maskNumber` of `@sms/contracts`). */
export const MASKED = { to: '5730******67', from: '5730******43', deadTo: '9991****67' } as const;

export function deadLetterEntry(to: string, text: string): DeadLetterEntry {
  return {
    to,
    text,
    client: 'billing',
    acceptedAt: Date.now(),
    reason: 'rejected',
    code: 4031,
    message: 'Not routable',
    attempts: 1,
    deadLetteredAt: Date.now(),
  };
}

/** Puts `SENT` on the send queue, through the API, and `DEAD` on the dead-letter queue; the id of `SENT`. */
export async function queueMessages(api: RunningApi): Promise<string> {
  const accepted = await api.post('/v1/sms', SENT);
  if (accepted.status !== 202) throw new Error(`POST /v1/sms answered ${accepted.status}`);
  await deadLetter(api.deadLetterQueue, DEAD.id, deadLetterEntry(DEAD.to, DEAD.text));
  return ((await accepted.json()) as { id: string }).id;
}
