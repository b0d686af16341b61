import {
  type CallbackJobSettings,
  type CallbackOutbox,
  type CallbackQueue,
  type GivenUpCallbacks,
  resumeStrandedCallbacks,
} from '@sms/callbacks';
import { type SweepTarget, sweepExpiredDeadLetters } from '@sms/dead-letters';
import type { SmsQueue } from '@sms/queue';
import type { Logger } from 'pino';
import { type GivenUpDeps, sweepGivenUpJobs } from './record-given-up-job';

export interface PeriodicSweepsDeps {
  readonly outbox: CallbackOutbox;
  readonly callbackQueue: CallbackQueue;
  readonly callbackJob: CallbackJobSettings;
  /** Given-up callbacks past CALLBACK_FAILED_RETENTION_SECONDS are removed from here. */
  readonly givenUpCallbacks: Pick<GivenUpCallbacks, 'sweep'>;
  /** The send queue, looked through for jobs BullMQ gave up on. */
  readonly smsQueue: SmsQueue;
  readonly givenUp: GivenUpDeps;
  /** Where dead letters past `DEAD_LETTER_RETENTION_SECONDS` (0: kept for good) are removed. */
  readonly deadLetters: SweepTarget & { readonly retentionSeconds: number };
  /** Told of each error of a sweep, which may be the first sign of Redis refusing writes. */
  readonly reportError: (error: unknown) => void;
  readonly logger: Logger;
  /** Logs an error line at most once per interval per message (`rateLimitedLog`). */
  readonly logError: (details: object, message: string) => void;
}

/** How often each sweep runs, in ms. */
const RESUME_CALLBACKS_EVERY_MS = 30_000;
const SWEEP_GIVEN_UP_EVERY_MS = 15_000;
const SWEEP_DEAD_LETTERS_EVERY_MS = 300_000;
const SWEEP_GIVEN_UP_CALLBACKS_EVERY_MS = 300_000;

/**
 * Starts the sweeps every replica runs; replicas need not agree on who does what, since a job
 * added twice is one job and a dead letter removed twice is removed once:
 * - outboxes left without a job (a process died between an event and its job);
 * - jobs BullMQ gave up on whose final state could not be written when it did (Redis refused
 *   the write, or the process stopped): ended as the first attempt would have, at start too;
 * - dead letters older than their retention, so the dead-letter queue does not grow for good;
 * - given-up callbacks older than theirs, likewise.
 * Returns what stops them.
 */
export function startPeriodicSweeps(deps: PeriodicSweepsDeps): { stop(): void } {
  const { logger, logError } = deps;
  const resumeCallbacks = setInterval(() => {
    resumeStrandedCallbacks(deps.outbox, deps.callbackQueue, {
      ...deps.callbackJob,
      staleAfterMs: 60_000,
      batch: 100,
    })
      .then((resumed) => {
        if (resumed > 0) logger.warn({ resumed }, 'status callbacks resumed after a process stopped mid-way');
      })
      .catch((err: unknown) => logger.warn({ err }, 'could not look for stranded status callbacks'));
  }, RESUME_CALLBACKS_EVERY_MS);
  resumeCallbacks.unref();

  const sweepGivenUp = () =>
    sweepGivenUpJobs(deps.smsQueue, deps.givenUp)
      .then((ended) => {
        if (ended.length > 0) logger.error({ ended }, 'messages given up by the queue recorded as failed');
      })
      .catch((err: unknown) => {
        deps.reportError(err);
        logError({ err }, 'could not record messages given up by the queue; trying again later');
      });
  const sweep = setInterval(() => void sweepGivenUp(), SWEEP_GIVEN_UP_EVERY_MS);
  sweep.unref();
  void sweepGivenUp();

  const { retentionSeconds, ...deadLetters } = deps.deadLetters;
  const sweepDeadLetters = () =>
    sweepExpiredDeadLetters(deadLetters, { retentionSeconds })
      .then((removed) => {
        if (removed > 0)
          logger.info({ removed, retentionSeconds }, 'dead letters past their retention removed');
      })
      .catch((err: unknown) => logError({ err }, 'could not remove dead letters past their retention'));
  const deadLetterSweep = setInterval(() => void sweepDeadLetters(), SWEEP_DEAD_LETTERS_EVERY_MS);
  deadLetterSweep.unref();
  void sweepDeadLetters();

  const sweepGivenUpCallbacks = () =>
    deps.givenUpCallbacks
      .sweep()
      .then((removed) => {
        if (removed > 0) logger.info({ removed }, 'given-up status callbacks past their retention removed');
      })
      .catch((err: unknown) =>
        logError({ err }, 'could not remove given-up status callbacks past their retention'),
      );
  const givenUpCallbackSweep = setInterval(
    () => void sweepGivenUpCallbacks(),
    SWEEP_GIVEN_UP_CALLBACKS_EVERY_MS,
  );
  givenUpCallbackSweep.unref();
  void sweepGivenUpCallbacks();

  return {
    stop: () => {
      clearInterval(givenUpCallbackSweep);
      clearInterval(resumeCallbacks);
      clearInterval(sweep);
      clearInterval(deadLetterSweep);
    },
  };
}
