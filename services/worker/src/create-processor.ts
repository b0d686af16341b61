import { maskNumber, type SmsJobData } from '@sms/contracts';
import type { KaaraiOutcome, SmsToSend } from '@sms/kaarai-client';
import type { WorkerMetrics } from '@sms/metrics';
import { type DeadLetterQueue, type DeadLetterReason, deadLetter } from '@sms/queue';
import type { StatusStore } from '@sms/status-store';
import { type Job, Worker } from 'bullmq';
import pRetry from 'p-retry';
import type { Logger } from 'pino';
import { RetryableSendError } from './send-errors';

export interface ProcessorDeps {
  readonly kaarai: { send(sms: SmsToSend): Promise<KaaraiOutcome> };
  readonly statusStore: StatusStore;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  /** Pauses sending on every worker of the queue (a configuration fault was reported). */
  readonly holdSending: () => Promise<void>;
}

/**
 * The BullMQ processor: sends one message and records what happened. Retries are BullMQ's
 * (durable across crashes): a retryable outcome throws `RetryableSendError`, except on the
 * last attempt, where the message is given up as `failed` and kept in the dead-letter queue.
 */
export function createProcessor(deps: ProcessorDeps) {
  const { statusStore, metrics, logger } = deps;

  return async (job: Job<SmsJobData>): Promise<void> => {
    const id = job.id!;
    const { data } = job;
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const log = logger.child({ messageId: id, requestId: data.requestId, attempt });

    // A job redelivered after its message reached a final state must not send it again.
    if (await statusStore.isFinal(id)) {
      log.warn('message already final; not sending again');
      return;
    }
    await statusStore.write(id, {
      status: 'sending',
      attempts: attempt,
      client: data.client,
      to: maskNumber(data.to),
      createdAt: data.acceptedAt,
    });

    const outcome = await deps.kaarai.send(data.from === undefined ? { to: data.to, text: data.text } : data);
    const code = outcome.type === 'answered' ? outcome.code : 0;
    metrics.providerDuration.observe(outcome.durationMs / 1000);
    if (outcome.type === 'no_answer' && outcome.requestSent) metrics.unknownOutcomes.inc();
    const last = { attempts: attempt, lastCode: code, lastMessage: outcome.message };

    const putAside = async (reason: DeadLetterReason, status: 'dead_lettered' | 'failed') => {
      await deadLetter(deps.deadLetterQueue, id, {
        ...data,
        reason,
        ...(code !== 0 && { code }),
        message: outcome.message,
        attempts: attempt,
        deadLetteredAt: Date.now(),
      });
      await statusStore.write(id, { status, ...last });
      metrics.deadLettered.inc({ reason });
      log.warn({ code, reason, providerMessage: outcome.message }, 'message dead-lettered');
    };

    switch (outcome.action) {
      case 'succeed': {
        metrics.providerAnswers.inc({ code, outcome: 'success' });
        metrics.sent.inc({ code });
        // Kaarai has the message: a failed write must not make BullMQ send it again, so a
        // short Redis blip is ridden out here rather than by a retry of the job.
        const status = code === 2021 ? 'accepted_queued' : 'accepted';
        await pRetry(() => statusStore.write(id, { status, ...last }), {
          retries: 5,
          minTimeout: 100,
          maxTimeout: 2_000,
        });
        log.debug({ code }, 'accepted by Kaarai');
        return;
      }
      case 'dead_letter': {
        metrics.providerAnswers.inc({ code, outcome: 'dead_letter' });
        await putAside('rejected', 'dead_lettered');
        return;
      }
      case 'hold': {
        metrics.providerAnswers.inc({ code, outcome: 'hold' });
        log.error(
          { code, providerMessage: outcome.message },
          'Kaarai reports a configuration fault: sending held',
        );
        await statusStore.write(id, { status: 'queued', ...last });
        await deps.holdSending();
        // Puts the job back without using up an attempt (BullMQ's manual rate limit).
        throw Worker.RateLimitError();
      }
      case 'retry': {
        if (attempt >= maxAttempts) {
          metrics.providerAnswers.inc({ code, outcome: 'dead_letter' });
          await putAside('retries_exhausted', 'failed');
          return;
        }
        metrics.providerAnswers.inc({ code, outcome: 'retry' });
        const reason = outcome.type === 'answered' ? String(code) : outcome.reason;
        metrics.retried.inc({ reason });
        await statusStore.write(id, { status: 'retrying', ...last });
        log.info({ code, reason }, 'send failed; will retry');
        const retryAfterMs = outcome.type === 'answered' ? outcome.retryAfterMs : undefined;
        throw new RetryableSendError(outcome.message, code, retryAfterMs);
      }
    }
  };
}
