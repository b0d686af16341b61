import type { SendAttempt } from '../send-attempt';
import type { SendResult } from './send-outcome';

/** Kaarai has the message: record it accepted (queued, for 2021) and open the gate. */
export async function recordSent(attempt: SendAttempt, { code, last, isProbe }: SendResult): Promise<void> {
  const { metrics, logger } = attempt.deps;
  const { id, data } = attempt;
  metrics.sent.inc({ code });
  // A scheduled message is due at its sendAt: the wait before it is not delivery latency.
  metrics.deliveryLatency.observe((attempt.now() - (data.sendAt ?? data.acceptedAt)) / 1000);
  metrics.deliveryAttempts.observe(attempt.number);
  // Kaarai has the message: a refused write must not make BullMQ send it again, so the write
  // waits for Redis rather than failing the job.
  const status = code === 2021 ? 'accepted_queued' : 'accepted';
  // The gate's count of answers goes in the same script call as the record.
  const written = await attempt.recordAnswered({ status, ...last }, attempt.history(last, 'success'));
  if (!written) return;
  await attempt.emit(status, code);
  logger.info(
    { messageId: id, requestId: data.requestId, attempt: attempt.number, code, status },
    'message accepted by Kaarai',
  );
  if (isProbe) attempt.log().info({ code }, 'probe succeeded: sending resumes');
}
