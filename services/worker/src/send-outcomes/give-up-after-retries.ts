import type { SendAttempt } from '../send-attempt';
import type { SendResult } from './send-outcome';

/** The last attempt failed too: the message is `failed` and kept in the dead-letter queue. */
export async function giveUpAfterRetries(attempt: SendAttempt, { last }: SendResult): Promise<void> {
  await attempt.putAside('retries_exhausted', 'failed', last);
}
