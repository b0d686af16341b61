import type { ApiMetrics } from '@sms/metrics';
import { DeadlinePassedError, withTimeout } from '@sms/queue';
import type { Logger } from 'pino';

/**
 * The share of ENQUEUE_TIMEOUT_MS between the deadline an enqueue carries to Redis and the moment
 * the API stops waiting for it. An enqueue that Redis ran just before its deadline must have its
 * reply read before the API gives up, so this covers the reply's way back (Redis writing it, the
 * network, the API's event loop getting to it) and how far Redis' clock may lag the API's.
 */
export const DEADLINE_MARGIN_SHARE = 1 / 3;

/** What became of an enqueue the API had stopped waiting for, once Redis answered. */
export type LateEnqueueOutcome = 'refused' | 'stored' | 'failed';

export interface EnqueueInTimeDeps {
  readonly config: { readonly redisTimeoutMs: number };
  readonly metrics: Pick<ApiMetrics, 'lateEnqueues'>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/**
 * Runs an enqueue for at most ENQUEUE_TIMEOUT_MS (`config.redisTimeoutMs`), then rejects with
 * `giveUp()`. `work` gets the deadline (ms since the epoch) to hand to Redis, a
 * `DEADLINE_MARGIN_SHARE` of the timeout before the API gives up: Redis refuses the enqueue
 * after it, so an enqueue given up on stores nothing, however late Redis runs it, unless its
 * reply took longer than the margin to come back. Every enqueue given up on is logged and
 * counted (`sms_api_late_enqueues_total{outcome}`) once it settles, so that such a case is seen.
 */
export function createEnqueueInTime(deps: EnqueueInTimeDeps, giveUp: () => Error) {
  const { config, metrics, logger } = deps;
  const timeoutMs = config.redisTimeoutMs;
  const deadlineAfterMs = timeoutMs - Math.round(timeoutMs * DEADLINE_MARGIN_SHARE);

  const settledLate = (requestId: string, gaveUpAt: number, outcome: LateEnqueueOutcome, err?: unknown) => {
    metrics.lateEnqueues.inc({ outcome });
    const context = { requestId, msAfterGivingUp: Date.now() - gaveUpAt, ...(err !== undefined && { err }) };
    if (outcome === 'refused') logger.info(context, 'enqueue answered 503 was refused by Redis: not stored');
    else if (outcome === 'stored')
      logger.error(context, 'enqueue answered 503 was stored by Redis all the same');
    else logger.warn(context, 'enqueue answered 503 ended in an error');
  };

  return async <T>(requestId: string, work: (deadline: number) => Promise<T>): Promise<T> => {
    const running = work(Date.now() + deadlineAfterMs);
    let gaveUpAt: number | undefined;
    try {
      return await withTimeout(running, timeoutMs, () => {
        gaveUpAt = Date.now();
        return giveUp();
      });
    } finally {
      if (gaveUpAt !== undefined) {
        const at = gaveUpAt;
        running.then(
          () => settledLate(requestId, at, 'stored'),
          (error: unknown) =>
            error instanceof DeadlinePassedError
              ? settledLate(requestId, at, 'refused')
              : settledLate(requestId, at, 'failed', error),
        );
      }
    }
  };
}
