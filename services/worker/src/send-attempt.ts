import { NO_STATUS_EVENTS, type StatusEvents } from '@sms/callbacks';
import type { CallbackStatus, SmsJobData } from '@sms/contracts';
import { type DeadLetterReason, deadLetter, deadLetterEntry } from '@sms/queue';
import {
  type AttemptRecord,
  type JobLock,
  type RecordIdentity,
  recordIdentity,
  type StatusUpdate,
  type WriteOutcome,
} from '@sms/status-store';
import { type Job, WaitingError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { deadLetterAgain } from './dead-letter-again';
import { jobLockOf } from './job-lock';
import type { ProcessorDeps } from './processor-deps';

/** The last attempt's result, as the status record keeps it. */
export interface LastAttempt {
  readonly attempts: number;
  readonly lastCode?: number;
  readonly lastMessage: string;
}

/** The final statuses that keep a message in the dead-letter queue. */
export type PutAsideStatus = 'dead_lettered' | 'failed' | 'expired';

/**
 * Leaves the job where it is: BullMQ neither finishes it nor counts an attempt. Another worker
 * owns it, or this one is stopping and the job returns to the queue once its lock lapses.
 */
export const leaveJob = (): WaitingError => new WaitingError();

/**
 * One attempt at one send job, and the steps it takes on Redis. Every step is done whatever
 * Redis does meanwhile (`onRedis`), and every status write checks the job's lock: a worker that
 * lost the job writes nothing for it and leaves it (`leaveJob`).
 */
export class SendAttempt {
  readonly id: string;
  readonly data: SmsJobData;
  /** This attempt's number, from 1. */
  readonly number: number;
  /** Written with every record a message may start with, so that it can be looked up. */
  readonly identity: RecordIdentity;
  /**
   * Before Kaarai has the message, only the lock's holder may act on it (`held`); once Kaarai
   * answered for good, the answer is also written while nobody holds the lock (it lapsed while
   * Redis refused writes), since it must not be lost; never while another worker holds it.
   */
  readonly held: JobLock | undefined;
  readonly answered: JobLock | undefined;
  private readonly events: StatusEvents;
  readonly now: () => number;
  private child: Logger | undefined;

  constructor(
    readonly job: Job<SmsJobData>,
    token: string | undefined,
    readonly deps: ProcessorDeps,
  ) {
    this.id = job.id!;
    this.data = job.data;
    this.number = job.attemptsMade + 1;
    this.identity = recordIdentity(job.data);
    this.held = token === undefined ? undefined : jobLockOf(job, token);
    this.answered = this.held && { ...this.held, orUnheld: true };
    this.events = deps.statusEvents ?? NO_STATUS_EVENTS;
    this.now = deps.now ?? Date.now;
  }

  /** True when BullMQ will not try the job again after this attempt. */
  get isLast(): boolean {
    return this.number >= (this.job.opts.attempts ?? 1);
  }

  /** A child logger costs an allocation and a serialisation; most messages never need one. */
  log(): Logger {
    this.child ??= this.deps.logger.child({
      messageId: this.id,
      requestId: this.data.requestId,
      attempt: this.number,
    });
    return this.child;
  }

  /** A step on Redis: a refusal waits until Redis takes writes again, then the step runs again. */
  async onRedis<T>(step: () => Promise<T>): Promise<T> {
    const { writeHealth } = this.deps;
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
  }

  /** Sends the job back to the queue, unused, and pauses sending on every worker for `ms`. */
  async waitForGate(ms: number): Promise<never> {
    await this.onRedis(() => this.deps.pauseSending(ms));
    throw Worker.RateLimitError();
  }

  /**
   * The last attempt of a message found `sending` at admission: a worker admitted this attempt's
   * call and stopped (killed, or frozen past its lock) before recording what came of it.
   */
  lastAdmitted(): LastAttempt {
    return {
      attempts: this.number,
      lastMessage: 'the worker that admitted a call to Kaarai stopped before recording its outcome',
    };
  }

  /** The history entry of this message's attempt `last`, as the gateway made `outcome` of it. */
  history(last: LastAttempt, outcome: string): AttemptRecord {
    return {
      attempt: last.attempts,
      ...(last.lastCode ? { code: last.lastCode } : {}),
      outcome,
      message: last.lastMessage,
      at: this.now(),
    };
  }

  /** Writes a status change; false when the message is final already (and nothing was written). */
  async record(update: StatusUpdate, history: AttemptRecord | undefined, lock = this.held): Promise<boolean> {
    const outcome = await this.onRedis(() =>
      this.deps.statusStore.write(this.id, update, history, lock ? { lock } : {}),
    );
    return this.written(outcome, update);
  }

  /**
   * `record` of Kaarai's answer, written whether the lock is held or lapsed (`answered`), and the
   * gate's count of answers in the same call to Redis: an answer opens the gate (`recordAnswer`).
   * A failure to open it costs the message nothing.
   */
  async recordAnswered(update: StatusUpdate, history: AttemptRecord): Promise<boolean> {
    const { gate, statusStore } = this.deps;
    const lock = this.answered;
    const { outcome, deleted } = await this.onRedis(() =>
      statusStore.writeCounted(this.id, update, history, lock ? { lock } : {}, gate.answerCount()),
    );
    if (deleted > 0) await this.afterGate(gate.answerRecorded(deleted));
    return this.written(outcome, update);
  }

  private async written(outcome: WriteOutcome, update: StatusUpdate): Promise<boolean> {
    if (outcome === 'lost') {
      this.log().warn(
        { status: update.status },
        'another worker took this message; leaving it to that worker',
      );
      throw leaveJob();
    }
    if (outcome === 'final') await this.alreadyFinal();
    return outcome === 'written';
  }

  /** A worker that stopped between a final status and its dead letter left this job behind. */
  async alreadyFinal(): Promise<void> {
    const { deadLetterQueue, statusStore } = this.deps;
    await this.onRedis(async () =>
      deadLetterAgain(deadLetterQueue, this.id, this.data, await statusStore.read(this.id)),
    );
    this.log().warn('message already final; not sending again');
  }

  /**
   * The final status first, then the dead letter: a worker that no longer owns the job writes
   * neither. True when this call put the message aside.
   */
  async putAside(
    reason: DeadLetterReason,
    status: PutAsideStatus,
    last: LastAttempt,
    lock = this.held,
  ): Promise<boolean> {
    if (!(await this.record({ status, ...this.identity, ...last }, this.history(last, reason), lock)))
      return false;
    const outcome = {
      attempts: last.attempts,
      ...(last.lastCode !== undefined && { code: last.lastCode }),
      message: last.lastMessage,
    };
    await this.onRedis(() =>
      deadLetter(this.deps.deadLetterQueue, this.id, deadLetterEntry(this.data, reason, outcome, this.now())),
    );
    await this.emit(status, last.lastCode);
    this.deps.metrics.deadLettered.inc({ reason });
    this.log().warn({ code: last.lastCode, reason }, 'message dead-lettered');
    return true;
  }

  /** Tells the client's receiver of a status change (queued as a callback; it never throws). */
  emit(status: CallbackStatus, code: number | undefined): Promise<void> {
    return this.events.emit(this.id, this.data, status, code);
  }

  /** An answer from Kaarai opens the gate; a failure to say so costs the message nothing. */
  recordAnswerOnGate(): Promise<void> {
    return this.afterGate(this.deps.gate.recordAnswer());
  }

  private afterGate(update: Promise<void>): Promise<void> {
    return update.catch((err: unknown) => {
      this.deps.writeHealth.report(err);
      this.log().warn({ err }, 'could not update the sending gate');
    });
  }
}
