import { NO_STATUS_EVENTS, type StatusEvents } from '@sms/callbacks';
import type { CallbackStatus, SmsJobData } from '@sms/contracts';
import type { KaaraiOutcome, SmsToSend } from '@sms/kaarai-client';
import type { WorkerMetrics } from '@sms/metrics';
import { type DeadLetterQueue, type DeadLetterReason, deadLetter, deadLetterEntry } from '@sms/queue';
import {
  type AttemptRecord,
  type JobLock,
  recordIdentity,
  type StatusStore,
  type StatusUpdate,
} from '@sms/status-store';
import { type Job, WaitingError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { deadLetterAgain } from './dead-letter-again';
import { jobLockOf } from './job-lock';
import type { RedisWriteHealth } from './redis-write-health';
import { RetryableSendError } from './send-errors';
import type { SendingGate } from './sending-gate';

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
  /** Where a job reports Redis refusing its writes, and waits until Redis takes them again. */
  readonly writeHealth: Pick<RedisWriteHealth, 'report' | 'untilWritable'>;
  /** Where each status change a client's receiver is told of goes; it never throws. @defaultValue none */
  readonly statusEvents?: StatusEvents;
  readonly now?: () => number;
}

/** The last attempt's result, as the status record keeps it. */
interface LastAttempt {
  readonly attempts: number;
  readonly lastCode?: number;
  readonly lastMessage: string;
}

/**
 * The BullMQ processor: sends one message and records what happened. Retries are BullMQ's
 * (durable across crashes): a retryable outcome throws `RetryableSendError`, except on the
 * last attempt, where the message is given up as `failed` and kept in the dead-letter queue.
 * While the sending gate is closed (configuration fault, or circuit open) messages go back to
 * the queue through BullMQ's manual rate limit, which does not use up an attempt.
 *
 * Two faults of the worker's own never cost a message anything:
 * - Redis refusing a write (out of memory, a full disk, a replica) is waited out in place of
 *   the step that met it (`writeHealth`), never thrown to BullMQ, where it would use up an
 *   attempt and could end the message;
 * - a worker that lost the job's lock (it froze, or lost Redis, for longer than the lock, and
 *   another worker took the job) writes nothing for it: every write checks the lock in Redis.
 */
export function createProcessor(deps: ProcessorDeps) {
  const { statusStore, metrics, logger, gate, writeHealth } = deps;
  const now = deps.now ?? Date.now;
  const events = deps.statusEvents ?? NO_STATUS_EVENTS;

  // Leaves the job where it is: BullMQ neither finishes it nor counts an attempt. Another worker
  // owns it, or this one is stopping and the job returns to the queue once its lock lapses.
  const leaveJob = () => new WaitingError();

  // A step on Redis, done whatever Redis does meanwhile: a refusal waits until Redis takes
  // writes again, then the step runs again.
  const onRedis = async <T>(step: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await step();
      } catch (error) {
        if (!writeHealth.report(error)) throw error;
        await writeHealth.untilWritable().catch(() => {
          throw leaveJob();
        });
      }
    }
  };

  const waitForGate = async (ms: number): Promise<never> => {
    await onRedis(() => deps.pauseSending(ms));
    throw Worker.RateLimitError();
  };

  return async (job: Job<SmsJobData>, token?: string): Promise<void> => {
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
    // Before Kaarai has the message, only the lock's holder may act on it; once Kaarai answered
    // for good, the answer is also written while nobody holds the lock (it lapsed while Redis
    // refused writes), since it must not be lost; never while another worker holds it.
    const held: JobLock | undefined = token === undefined ? undefined : jobLockOf(job, token);
    const answered: JobLock | undefined = held && { ...held, orUnheld: true };

    // Written with every record a message may start with, so that it can be looked up.
    const identity = recordIdentity(data);

    const alreadyFinal = async () => {
      // A worker that stopped between a final status and its dead letter left this job behind.
      await onRedis(async () => deadLetterAgain(deps.deadLetterQueue, id, data, await statusStore.read(id)));
      log().warn('message already final; not sending again');
    };

    /** Writes a status change; false when the message is final already (and nothing was written). */
    const record = async (update: StatusUpdate, history: AttemptRecord | undefined, lock = held) => {
      const outcome = await onRedis(() => statusStore.write(id, update, history, lock ? { lock } : {}));
      if (outcome === 'lost') {
        log().warn({ status: update.status }, 'another worker took this message; leaving it to that worker');
        throw leaveJob();
      }
      if (outcome === 'final') await alreadyFinal();
      return outcome === 'written';
    };

    // The final status first, then the dead letter: a worker that no longer owns the job writes
    // neither. True when this call put the message aside.
    const putAside = async (
      reason: DeadLetterReason,
      status: 'dead_lettered' | 'failed' | 'expired',
      last: LastAttempt,
      lock = held,
    ) => {
      const history = {
        attempt: last.attempts,
        ...(last.lastCode ? { code: last.lastCode } : {}),
        outcome: reason,
        message: last.lastMessage,
        at: now(),
      };
      if (!(await record({ status, ...identity, ...last }, history, lock))) return false;
      await onRedis(() =>
        deadLetter(
          deps.deadLetterQueue,
          id,
          deadLetterEntry(
            data,
            reason,
            { attempts: last.attempts, code: last.lastCode, message: last.lastMessage },
            now(),
          ),
        ),
      );
      await events.emit(id, data, status, last.lastCode);
      metrics.deadLettered.inc({ reason });
      log().warn({ code: last.lastCode, reason }, 'message dead-lettered');
      return true;
    };

    const recordAnswerOnGate = () =>
      gate.recordAnswer().catch((err: unknown) => {
        writeHealth.report(err);
        log().warn({ err }, 'could not update the sending gate');
      });

    // A message past its validity is never sent: a late one-time password is worse than none.
    if (data.expiresAt !== undefined && now() >= data.expiresAt) {
      const expired = await putAside('expired', 'expired', {
        attempts: job.attemptsMade,
        lastMessage: `validity ended at ${new Date(data.expiresAt).toISOString()} before delivery`,
      });
      if (expired) metrics.expired.inc();
      return;
    }

    // One round trip: a job whose lock is another worker's is left alone; a job redelivered
    // after its message reached a final state must not send it again; the gate may say wait;
    // otherwise the record says `sending`.
    const admission = await onRedis(() =>
      gate.admit(
        statusStore.claimUnlessFinal(id, { status: 'sending', attempts: attempt, ...identity }, held),
      ),
    );
    if (admission.kind === 'lost') throw leaveJob();
    if (admission.kind === 'refused') return alreadyFinal();
    if (admission.kind === 'wait') return waitForGate(admission.ms);
    const isProbe = admission.kind === 'probe';

    const outcome = await deps.kaarai.send(data.from === undefined ? { to: data.to, text: data.text } : data);
    const code = outcome.type === 'answered' ? outcome.code : 0;
    metrics.providerDuration.observe(outcome.durationMs / 1000);
    if (outcome.type === 'no_answer' && outcome.requestSent) metrics.unknownOutcomes.inc();
    const last: LastAttempt = { attempts: attempt, lastCode: code, lastMessage: outcome.message };
    const history = (result: string): AttemptRecord => ({
      attempt,
      ...(code ? { code } : {}),
      outcome: result,
      message: outcome.message,
      at: now(),
    });
    const announce = (status: CallbackStatus) => events.emit(id, data, status, code);

    switch (outcome.action) {
      case 'succeed': {
        metrics.providerAnswers.inc({ code, outcome: 'success' });
        metrics.sent.inc({ code });
        // A scheduled message is due at its sendAt: the wait before it is not delivery latency.
        metrics.deliveryLatency.observe((now() - (data.sendAt ?? data.acceptedAt)) / 1000);
        metrics.deliveryAttempts.observe(attempt);
        // Kaarai has the message: a refused write must not make BullMQ send it again, so the
        // write waits for Redis rather than failing the job.
        const status = code === 2021 ? 'accepted_queued' : 'accepted';
        // Issued together, the two share one write to Redis (the connection pipelines them).
        const [written] = await Promise.all([
          record({ status, ...last }, history('success'), answered),
          recordAnswerOnGate(),
        ]);
        if (!written) return;
        await announce(status);
        logger.info(
          { messageId: id, requestId: data.requestId, attempt, code, status },
          'message accepted by Kaarai',
        );
        if (isProbe) log().info({ code }, 'probe succeeded: sending resumes');
        return;
      }
      case 'dead_letter': {
        metrics.providerAnswers.inc({ code, outcome: 'dead_letter' });
        await putAside('rejected', 'dead_lettered', last, answered);
        await recordAnswerOnGate();
        return;
      }
      case 'hold': {
        metrics.providerAnswers.inc({ code, outcome: 'hold' });
        const newlyHeld = await onRedis(() => gate.recordHold(code, outcome.message));
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
        if (!(await record({ status: 'queued', ...last, attempts: job.attemptsMade }, history('hold'))))
          return;
        return waitForGate(deps.holdProbeIntervalMs);
      }
      case 'retry': {
        const reason = outcome.type === 'answered' ? String(code) : outcome.reason;
        const closed = await onRedis(() => gate.recordFailure(code, `${reason} ${outcome.message}`, isProbe));
        if (closed) {
          // The circuit is open: Kaarai is down, not this message; keep its attempts.
          metrics.providerAnswers.inc({ code, outcome: 'circuit_open' });
          if (!(await record({ status: 'retrying', ...last }, history('circuit_open')))) return;
          await announce('retrying');
          const state = await onRedis(() => gate.state());
          return waitForGate(state.state === 'open' ? 1_000 : Math.max(100, state.until - now()));
        }
        if (attempt >= maxAttempts) {
          metrics.providerAnswers.inc({ code, outcome: 'dead_letter' });
          await putAside('retries_exhausted', 'failed', last);
          return;
        }
        metrics.providerAnswers.inc({ code, outcome: 'retry' });
        metrics.retried.inc({ reason });
        if (!(await record({ status: 'retrying', ...last }, history('retry')))) return;
        await announce('retrying');
        log().info({ code, reason }, 'send failed; will retry');
        const retryAfterMs = outcome.type === 'answered' ? outcome.retryAfterMs : undefined;
        throw new RetryableSendError(outcome.message, code, retryAfterMs);
      }
    }
  };
}
