import type { StatusUpdate } from '@sms/status-store';
import type { SendAttempt } from '../send-attempt';
import type { SendResult } from './send-outcome';

/**
 * Kaarai reports a configuration fault (credentials, URL, content type): every message would
 * fail alike, so sending stops on every worker until a probe succeeds, and this one waits.
 */
export async function holdSending(attempt: SendAttempt, { outcome, code, last }: SendResult): Promise<void> {
  const { gate, holdProbeIntervalMs } = attempt.deps;
  const newlyHeld = await attempt.onRedis(() => gate.recordHold(code, outcome.message));
  // One clear error per hold; failed probes while held are routine.
  if (newlyHeld) {
    attempt
      .log()
      .error(
        { code, providerMessage: outcome.message, probeEveryMs: holdProbeIntervalMs },
        'Kaarai reports a configuration fault: sending held on every worker until a probe succeeds',
      );
  } else {
    attempt.log().warn({ code }, 'sending still held');
  }
  // A hold uses up no attempt: the count stays at the attempts really made.
  const update: StatusUpdate = { status: 'queued', ...last, attempts: attempt.job.attemptsMade };
  if (!(await attempt.record(update, attempt.history(last, 'hold')))) return;
  await attempt.waitForGate(holdProbeIntervalMs);
}
