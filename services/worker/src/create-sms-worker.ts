import type { SmsJobData } from '@sms/contracts';
import { deadLetter, type RedisConnection, SEND_BACKOFF, SMS_QUEUE } from '@sms/queue';
import { recordIdentity } from '@sms/status-store';
import { type Job, Worker } from 'bullmq';
import { createProcessor, type ProcessorDeps } from './create-processor';
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
export function createSmsWorker(
  options: SmsWorkerOptions,
  deps: Omit<ProcessorDeps, 'pauseSending' | 'holdProbeIntervalMs'>,
): Worker<SmsJobData> {
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

  // Only failures the processor did not turn into an outcome arrive here as final (a bug,
  // Redis lost mid-job, a job that stalled too often). BullMQ sets `finishedOn` only when it
  // gives the job up; record those as failed and keep them in the dead-letter queue, so that no
  // accepted message is left without a final state.
  worker.on('failed', (job: Job<SmsJobData> | undefined, error: Error) => {
    if (!job?.finishedOn || error instanceof RetryableSendError) return;
    const id = job.id!;
    const log = deps.logger.child({ messageId: id, requestId: job.data.requestId });
    log.error({ err: error }, 'message failed outside the send policy');
    const attempts = Math.max(job.attemptsMade, 1);
    void Promise.all([
      deadLetter(deps.deadLetterQueue, id, {
        ...job.data,
        reason: 'retries_exhausted',
        message: error.message,
        attempts,
        deadLetteredAt: Date.now(),
      }),
      deps.statusStore.write(
        id,
        { status: 'failed', attempts, lastMessage: error.message, ...recordIdentity(job.data) },
        { attempt: attempts, outcome: 'retries_exhausted', message: error.message, at: Date.now() },
      ),
    ])
      .then(() => deps.statusEvents?.emit(id, job.data, 'failed'))
      .then(() => deps.metrics.deadLettered.inc({ reason: 'retries_exhausted' }))
      .catch((err: unknown) => log.error({ err }, 'could not record a failed message'));
  });
  return worker;
}
