import type { SendAttempt } from '../send-attempt';
import type { SendResult } from './send-outcome';

/** Kaarai refused the message for good: dead-letter it, never retried, and open the gate. */
export async function recordRejected(attempt: SendAttempt, { last }: SendResult): Promise<void> {
  await attempt.putAside('rejected', 'dead_lettered', last, attempt.answered);
  await attempt.recordAnswerOnGate();
}
