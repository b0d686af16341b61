import type { SendAttempt } from '../send-attempt';
import { RetryableSendError } from '../send-errors';
import type { SendResult } from './send-outcome';

/** A transient failure: record it and throw, so that BullMQ tries again after our backoff. */
export async function retryLater(
  attempt: SendAttempt,
  { outcome, code, reason, last }: SendResult,
): Promise<void> {
  attempt.deps.metrics.retried.inc({ reason });
  if (!(await attempt.record({ status: 'retrying', ...last }, attempt.history(last, 'retry')))) return;
  await attempt.emit('retrying', code);
  attempt.log().info({ code, reason }, 'send failed; will retry');
  const retryAfterMs = outcome.type === 'answered' ? outcome.retryAfterMs : undefined;
  throw new RetryableSendError(outcome.message, code, retryAfterMs);
}
