import type { SmsJobData } from '@sms/contracts';
import { type RedisConnection, SEND_BACKOFF, SMS_QUEUE } from '@sms/queue';
import { type Job, Worker } from 'bullmq';
import { createProcessor } from './create-processor';
import type { ProcessorDeps } from './processor-deps';
import { recordGivenUpJob } from './record-given-up-job';
import { type RetryDelaySettings, retryDelay } from './retry-delay';
import { RetryableSendError } from './send-errors';

export interface SmsWorkerOptions {
  readonly connection: RedisConnection;
  /** Key prefix of the queues: `redisKeyPrefix(QUEUE_PREFIX)` (`@sms/config`). */
  readonly prefix: string;
  readonly concurrency: number;
  readonly retry: RetryDelaySettings;
  /** How long sending pauses after a configuration fault before a probe, in ms. */
  readonly holdMs: number;
  /** Most messages sent per second across every replica; 0 for no limit. */
  readonly ratePerSecond?: number;
  /** Lock of an active job; a crashed worker's jobs are redelivered once it lapses, in ms. */
  readonly lockMs?: number;
}

/** A BullMQ worker for the send queue, wired to the processor and our backoff strategy. */
export interface SmsWorkerDeps extends Omit<ProcessorDeps, 'pauseSending' | 'holdProbeIntervalMs'> {
  /** A job BullMQ gave up on could not be recorded yet; it stays among the failed jobs. */
  readonly onGivenUpNotRecorded: (error: unknown) => void;
}

export function createSmsWorker(options: SmsWorkerOptions, deps: SmsWorkerDeps): Worker<SmsJobData> {
  const holder: { worker?: Worker<SmsJobData> } = {};
  const processor = createProcessor({
    ...deps,
    holdProbeIntervalMs: options.holdMs,
    // BullMQ keeps the rate limit in Redis, so the pause applies to every replica at once.
    pauseSending: (ms) => holder.worker!.rateLimit(ms),
  });
  const worker = new Worker<SmsJobData>(SMS_QUEUE, processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    // A live worker renews its locks every lockDuration / 2; the stalled check then finds the
    // jobs of a crashed one within about one lock duration.
    ...(options.lockMs ? { lockDuration: options.lockMs, stalledInterval: options.lockMs } : {}),
    // BullMQ's limiter is global: every worker of the queue shares one budget per window.
    ...(options.ratePerSecond ? { limiter: limiterWindows(options.ratePerSecond) } : {}),
    settings: {
      backoffStrategy: (attemptsMade: number, type?: string, error?: Error) => {
        if (type !== SEND_BACKOFF) return -1;
        const retryAfterMs = error instanceof RetryableSendError ? error.retryAfterMs : undefined;
        return retryDelay(attemptsMade, options.retry, retryAfterMs);
      },
    },
  });
  holder.worker = worker;

  // Only failures the processor did not turn into an outcome arrive here as final (a bug, a job
  // that stalled too often). BullMQ sets `finishedOn` only when it gives the job up; such a job
  // stays among the failed ones until its final state is written (`sweepGivenUpJobs` tries again
  // when this cannot), so that no accepted message is left without one.
  worker.on('failed', (job: Job<SmsJobData> | undefined, error: Error) => {
    if (!job?.finishedOn || error instanceof RetryableSendError) return;
    recordGivenUpJob(job, deps)
      .then((ended) => {
        if (ended) {
          deps.logger.error(
            { err: error, messageId: job.id, requestId: job.data.requestId },
            'message failed outside the send policy',
          );
        }
      })
      .catch((err: unknown) => {
        deps.writeHealth.report(err);
        deps.onGivenUpNotRecorded(err);
      });
  });
  return worker;
}

// Windows per second the limit may be split into: each divides 1000 ms exactly.
const WINDOWS_PER_SECOND = [20, 10, 8, 5, 4, 2, 1] as const;

/**
 * The limit per second as BullMQ's limiter options. That limiter is a fixed window started by the
 * window's first job (prepareJobForProcessing.lua): a worker takes `max` jobs as fast as it can,
 * then sleeps out the rest of the window (getRateLimitTTL.lua), and every message that arrives
 * meanwhile, a `high` one at the head of the wait list included, waits for the next window. With
 * one window of a second, a worker sending twice the limit sat idle half of every second. Split
 * into the most windows (of at least 50 ms) that divide the limit exactly, the rate stays the
 * same, no aligned second holds more than the limit (and any second at most one window more,
 * against a whole second's worth with one window), and the wait is a fraction of 50 ms.
 */
function limiterWindows(ratePerSecond: number): { max: number; duration: number } {
  const windows = WINDOWS_PER_SECOND.find((count) => ratePerSecond % count === 0) ?? 1;
  return { max: ratePerSecond / windows, duration: 1_000 / windows };
}
