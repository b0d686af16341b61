import { NO_STATUS_EVENTS, type StatusEvents } from '@sms/callbacks';
import type { SmsJobData } from '@sms/contracts';
import type { KaaraiOutcome, SmsToSend } from '@sms/kaarai-client';
import type { WorkerMetrics } from '@sms/metrics';
import { type DeadLetterQueue, type DeadLetterReason, deadLetter } from '@sms/queue';
import { recordIdentity, type StatusStore } from '@sms/status-store';
import { type Job, Worker } from 'bullmq';
import pRetry from 'p-retry';
import type { Logger } from 'pino';
import { RetryableSendError } from './send-errors';
import type { SendingGate } from './sending-gate';

// Short in-process retries of a status write that must not fail the job (about 3 s in all).
const WRITE_RETRIES = { retries: 5, minTimeout: 100, maxTimeout: 2_000 };

export interface ProcessorDeps {
  readonly kaarai: { send(sms: SmsToSend): Promise<KaaraiOutcome> };
  readonly statusStore: StatusStore;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly gate: SendingGate;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  /** Stops every worker of the queue from taking jobs for this long (BullMQ's rate limit). */
  readonly pauseSending: (ms: number) => Promise<void>;
  /** After a configuration fault, how long sending pauses before the next probe, in ms. */
  readonly holdProbeIntervalMs: number;
  /** Where each status change a client's receiver is told of goes; it never throws. @defaultValue none */
  readonly statusEvents?: StatusEvents;
  readonly now?: () => number;
}

/**
 * The BullMQ processor: sends one message and records what happened. Retries are BullMQ's
 * (durable across crashes): a retryable outcome throws `RetryableSendError`, except on the
 * last attempt, where the message is given up as `failed` and kept in the dead-letter queue.
 * While the sending gate is closed (configuration fault, or circuit open) messages go back to
 * the queue through BullMQ's manual rate limit, which does not use up an attempt.
 */
export function createProcessor(deps: ProcessorDeps) {
  const { statusStore, metrics, logger, gate } = deps;
  const now = deps.now ?? Date.now;
  const events = deps.statusEvents ?? NO_STATUS_EVENTS;

  const waitForGate = async (ms: number): Promise<never> => {
    await deps.pauseSending(ms);
    throw Worker.RateLimitError();
  };

  return async (job: Job<SmsJobData>): Promise<void> => {
    const id = job.id!;
    const { data } = job;
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    // A child logger costs an allocation and a serialisation; most messages never need one.
    let child: Logger | undefined;
    const log = () => {
      child ??= logger.child({ messageId: id, requestId: data.requestId, attempt });
      return child;
    };

    // Written with every record a message may start with, so that it can be looked up.
    const identity = recordIdentity(data);
    const putAside = async (
      reason: DeadLetterReason,
      status: 'dead_lettered' | 'failed' | 'expired',
      last: { attempts: number; lastCode?: number; lastMessage: string },
    ) => {
      await deadLetter(deps.deadLetterQueue, id, {
        ...data,
        reason,
        ...(last.lastCode ? { code: last.lastCode } : {}),
        message: last.lastMessage,
        attempts: last.attempts,
        deadLetteredAt: now(),
      });
      const record = {
        attempt: last.attempts,
        ...(last.lastCode ? { code: last.lastCode } : {}),
        outcome: reason,
        message: last.lastMessage,
        at: now(),
      };
      // The entry is in the dead-letter queue: from here the message must not be retried, so
      // a Redis blip on the status write is ridden out rather than thrown to BullMQ.
      await pRetry(() => statusStore.write(id, { status, ...identity, ...last }, record), WRITE_RETRIES);
      await events.emit(id, data, status, last.lastCode);
      metrics.deadLettered.inc({ reason });
      log().warn({ code: last.lastCode, reason }, 'message dead-lettered');
    };

    const alreadyFinal = () => log().warn('message already final; not sending again');
    // A message past its validity is never sent: a late one-time password is worse than none.
    if (data.expiresAt !== undefined && now() >= data.expiresAt) {
      if (await statusStore.isFinal(id)) return alreadyFinal();
      metrics.expired.inc();
      await putAside('expired', 'expired', {
        attempts: job.attemptsMade,
        lastMessage: `validity ended at ${new Date(data.expiresAt).toISOString()} before delivery`,
      });
      return;
    }

    // One round trip: a job redelivered after its message reached a final state must not send
    // it again; the gate may say wait; otherwise the record says `sending`.
    const admission = await gate.admit(
      statusStore.claimUnlessFinal(id, { status: 'sending', attempts: attempt, ...identity }),
    );
    if (admission.kind === 'refused') return alreadyFinal();
    if (admission.kind === 'wait') return waitForGate(admission.ms);
    const isProbe = admission.kind === 'probe';

    const outcome = await deps.kaarai.send(data.from === undefined ? { to: data.to, text: data.text } : data);
    const code = outcome.type === 'answered' ? outcome.code : 0;
    metrics.providerDuration.observe(outcome.durationMs / 1000);
    if (outcome.type === 'no_answer' && outcome.requestSent) metrics.unknownOutcomes.inc();
    const last = { attempts: attempt, lastCode: code, lastMessage: outcome.message };
    const history = (result: string) => ({
      attempt,
      ...(code ? { code } : {}),
      outcome: result,
      message: outcome.message,
      at: now(),
    });

    switch (outcome.action) {
      case 'succeed': {
        metrics.providerAnswers.inc({ code, outcome: 'success' });
        metrics.sent.inc({ code });
        // A scheduled message is due at its sendAt: the wait before it is not delivery latency.
        metrics.deliveryLatency.observe((now() - (data.sendAt ?? data.acceptedAt)) / 1000);
        metrics.deliveryAttempts.observe(attempt);
        // Kaarai has the message: a failed write must not make BullMQ send it again, so a
        // short Redis blip is ridden out here rather than by a retry of the job.
        const status = code === 2021 ? 'accepted_queued' : 'accepted';
        const write = () => statusStore.write(id, { status, ...last }, history('success'));
        // Issued together, the two share one write to Redis (the connection pipelines them).
        await Promise.all([
          write().catch(() => pRetry(write, WRITE_RETRIES)),
          gate
            .recordAnswer()
            .catch((err: unknown) => log().warn({ err }, 'could not update the sending gate')),
        ]);
        await events.emit(id, data, status, code);
        logger.info(
          { messageId: id, requestId: data.requestId, attempt, code, status },
          'message accepted by Kaarai',
        );
        if (isProbe) log().info({ code }, 'probe succeeded: sending resumes');
        return;
      }
      case 'dead_letter': {
        metrics.providerAnswers.inc({ code, outcome: 'dead_letter' });
        await putAside('rejected', 'dead_lettered', last);
        await gate
          .recordAnswer()
          .catch((err: unknown) => log().warn({ err }, 'could not update the sending gate'));
        return;
      }
      case 'hold': {
        metrics.providerAnswers.inc({ code, outcome: 'hold' });
        const newlyHeld = await gate.recordHold(code, outcome.message);
        // One clear error per hold; failed probes while held are routine.
        if (newlyHeld) {
          log().error(
            { code, providerMessage: outcome.message, probeEveryMs: deps.holdProbeIntervalMs },
            'Kaarai reports a configuration fault: sending held on every worker until a probe succeeds',
          );
        } else {
          log().warn({ code }, 'sending still held');
        }
        // A hold uses up no attempt: the count stays at the attempts really made.
        await statusStore.write(
          id,
          { status: 'queued', ...last, attempts: job.attemptsMade },
          history('hold'),
        );
        return waitForGate(deps.holdProbeIntervalMs);
      }
      case 'retry': {
        const reason = outcome.type === 'answered' ? String(code) : outcome.reason;
        const closed = await gate.recordFailure(code, `${reason} ${outcome.message}`, isProbe);
        if (closed) {
          // The circuit is open: Kaarai is down, not this message; keep its attempts.
          metrics.providerAnswers.inc({ code, outcome: 'circuit_open' });
          await statusStore.write(id, { status: 'retrying', ...last }, history('circuit_open'));
          await events.emit(id, data, 'retrying', code);
          const state = await gate.state();
          return waitForGate(state.state === 'open' ? 1_000 : Math.max(100, state.until - now()));
        }
        if (attempt >= maxAttempts) {
          metrics.providerAnswers.inc({ code, outcome: 'dead_letter' });
          await putAside('retries_exhausted', 'failed', last);
          return;
        }
        metrics.providerAnswers.inc({ code, outcome: 'retry' });
        metrics.retried.inc({ reason });
        await statusStore.write(id, { status: 'retrying', ...last }, history('retry'));
        await events.emit(id, data, 'retrying', code);
        log().info({ code, reason }, 'send failed; will retry');
        const retryAfterMs = outcome.type === 'answered' ? outcome.retryAfterMs : undefined;
        throw new RetryableSendError(outcome.message, code, retryAfterMs);
      }
    }
  };
}
