import type { SendAttempt } from '../send-attempt';
import type { SendResult } from './send-outcome';

/**
 * An `at-most-once` message that Kaarai may have: sending it again could deliver it twice, so it
 * ends `unknown`, final, and is never sent again. Not dead-lettered: a replay is the very
 * second send this mode forbids.
 */
export async function recordUnknown(attempt: SendAttempt, { reason, last }: SendResult): Promise<void> {
  await endUnknown(attempt, reason, last);
}

/**
 * Writes `unknown` (once: a final status is never rewritten), then counts, tells and logs it.
 * `reason` is why no answer came (`timeout`, `connection_dropped`), or `worker_lost` when the
 * worker that admitted the call stopped before recording what came of it.
 */
export async function endUnknown(
  attempt: SendAttempt,
  reason: string,
  last: SendResult['last'],
): Promise<void> {
  const update = { status: 'unknown', ...attempt.identity, ...last } as const;
  if (!(await attempt.record(update, attempt.history(last, `unknown:${reason}`)))) return;
  attempt.deps.metrics.unknown.inc({ reason });
  await attempt.emit('unknown', last.lastCode || undefined);
  attempt
    .log()
    .warn(
      { reason, code: last.lastCode },
      'at-most-once message may have reached Kaarai; not sending it again',
    );
}
