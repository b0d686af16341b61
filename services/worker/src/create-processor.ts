import type { SmsJobData } from '@sms/contracts';
import type { Job } from 'bullmq';
import type { ProcessorDeps } from './processor-deps';
import { leaveJob, SendAttempt } from './send-attempt';
import { putAsideExpired } from './send-outcomes/put-aside-expired';
import { endUnknown } from './send-outcomes/record-unknown';
import { mayHaveReachedKaarai, sendOutcomeOf, sendResultOf } from './send-outcomes/send-outcome';
import { SEND_OUTCOMES } from './send-outcomes/send-outcome-handlers';
import { type AttemptTrace, traceAttempt } from './trace-attempt';

/**
 * The BullMQ processor: sends one message and records what happened. Retries are BullMQ's
 * (durable across crashes): a retryable outcome throws `RetryableSendError`, except on the
 * last attempt, where the message is given up as `failed` and kept in the dead-letter queue.
 * While the sending gate is closed (configuration fault, or circuit open) messages go back to
 * the queue through BullMQ's manual rate limit, which does not use up an attempt.
 *
 * Two faults of the worker's own never cost a message anything:
 * - Redis refusing a write (out of memory, a full disk, a replica) is waited out in place of
 *   the step that met it (`SendAttempt.onRedis`), never thrown to BullMQ, where it would use
 *   up an attempt and could end the message;
 * - a worker that lost the job's lock (it froze, or lost Redis, for longer than the lock, and
 *   another worker took the job) writes nothing for it: every write checks the lock in Redis.
 *
 * What each outcome of a call leads to is one handler each, chosen from `SEND_OUTCOMES`.
 */
export function createProcessor(deps: ProcessorDeps) {
  const processOnce = createAttemptProcessor(deps);
  const { tracer } = deps;
  if (tracer === undefined) return (job: Job<SmsJobData>, token?: string) => processOnce(job, token);
  return (job: Job<SmsJobData>, token?: string) =>
    traceAttempt(tracer, job, (trace) => processOnce(job, token, trace));
}

type AttemptSteps = Pick<AttemptTrace, 'outcome' | 'kaaraiSend'>;

function createAttemptProcessor(deps: ProcessorDeps) {
  const { gate, metrics, statusStore } = deps;
  // Without tracing, the outcomes are told to nobody and the call to Kaarai is made as it is.
  const untraced: AttemptSteps = {
    set outcome(_: string) {},
    kaaraiSend: (send) => send(),
  };

  return async (job: Job<SmsJobData>, token?: string, trace = untraced): Promise<void> => {
    const attempt = new SendAttempt(job, token, deps);
    const { id, data } = attempt;
    if (data.expiresAt !== undefined && attempt.now() >= data.expiresAt) {
      trace.outcome = 'expired';
      return putAsideExpired(attempt, data.expiresAt);
    }

    // One round trip: a job whose lock is another worker's is left alone; a job redelivered
    // after its message reached a final state must not send it again; an at-most-once message
    // found still `sending` was admitted before by a worker that never recorded the outcome
    // (killed, or frozen past its lock), whose call may have reached Kaarai; the gate may say
    // wait; otherwise the record says `sending`.
    const claim = { status: 'sending', attempts: attempt.number, ...attempt.identity } as const;
    const unsure = data.delivery === 'at-most-once' ? { unsureIf: 'sending' } : {};
    const admission = await attempt.onRedis(() =>
      gate.admit(statusStore.claimUnlessFinal(id, claim, attempt.held, unsure)),
    );
    if (admission.kind === 'lost') {
      trace.outcome = 'left';
      throw leaveJob();
    }
    if (admission.kind === 'refused') {
      trace.outcome = 'already_final';
      return attempt.alreadyFinal();
    }
    if (admission.kind === 'unsure') {
      trace.outcome = 'unknown';
      return endUnknown(attempt, 'worker_lost', attempt.lastAdmitted());
    }
    if (admission.kind === 'wait') {
      trace.outcome = 'gate_wait';
      return attempt.waitForGate(admission.ms);
    }

    const sms = data.from === undefined ? { to: data.to, text: data.text } : data;
    const outcome = await trace.kaaraiSend(() => deps.kaarai.send(sms));
    const result = sendResultOf(outcome, attempt.number, admission.kind === 'probe');
    metrics.providerDuration.observe(outcome.durationMs / 1000);
    if (outcome.type === 'no_answer' && outcome.requestSent) metrics.unknownOutcomes.inc();
    // Every failure counts for the circuit, whose state then decides what the failure costs.
    const circuitOpen =
      outcome.action === 'retry' &&
      (await attempt.onRedis(() =>
        gate.recordFailure(result.code, `${result.reason} ${outcome.message}`, result.isProbe),
      ));
    const { answer, handle } =
      SEND_OUTCOMES[
        sendOutcomeOf(outcome.action, {
          circuitOpen,
          lastAttempt: attempt.isLast,
          mayHaveReachedKaarai: mayHaveReachedKaarai(outcome, data.delivery),
        })
      ];
    metrics.providerAnswers.inc({ code: result.code, outcome: answer });
    trace.outcome = answer;
    return handle(attempt, result);
  };
}
