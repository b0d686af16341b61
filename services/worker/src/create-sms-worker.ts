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
    // BullMQ's limiter is global: every worker of the queue shares one budget per second.
    ...(options.ratePerSecond ? { limiter: { max: options.ratePerSecond, duration: 1_000 } } : {}),
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
