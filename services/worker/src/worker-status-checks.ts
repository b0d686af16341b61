import type { CallbackQueue, GivenUpCallbacks } from '@sms/callbacks';
import {
  measureRedis,
  recordArchiveBacklog,
  recordGivenUpCallbacks,
  recordQueueState,
  type StatusServerDeps,
  type WorkerMetrics,
} from '@sms/metrics';
import {
  CALLBACK_QUEUE,
  DEAD_LETTER_QUEUE,
  type DeadLetterQueue,
  type RedisConnection,
  readArchiveBacklog,
  readQueueState,
  redisWriteRefusal,
  SMS_QUEUE,
  type SmsQueue,
  withTimeout,
} from '@sms/queue';
import type { SendingGate } from './sending-gate';

export interface WorkerStatusDeps {
  readonly metrics: WorkerMetrics;
  /** The send path's connection: the Redis health metrics measure the one messages wait on. */
  readonly records: RedisConnection;
  /** The fail-fast connection every other read goes through, so that checks answer while Redis is away. */
  readonly probe: RedisConnection;
  /** The key readiness writes to (`writeProbeKey` of `@sms/queue`). */
  readonly probeKey: string;
  /** The sending gate read over `probe`. */
  readonly gate: SendingGate;
  /** The three queues, opened on `probe`. */
  readonly observed: {
    readonly sms: SmsQueue;
    readonly deadLetters: DeadLetterQueue;
    readonly callbacks: CallbackQueue;
    /** The given-up callbacks, counted for their gauges. */
    readonly givenUpCallbacks: Pick<GivenUpCallbacks, 'counts'>;
  };
  readonly worker: { isRunning(): boolean };
  readonly concurrency: number;
  /** The gateway's key prefix, for the archive backlog. */
  readonly prefix: string;
}

// A stalled Redis answers nothing and fails nothing: a probe or a scrape must still get an answer.
const withinASecond = <T>(work: Promise<T>) =>
  withTimeout(work, 1_000, () => new Error('redis did not answer'));

/** What the status server asks before a scrape of `/metrics` and on each `/readyz`. */
export function workerStatusChecks(deps: WorkerStatusDeps): Omit<StatusServerDeps, 'registry'> {
  const { metrics, probe, observed } = deps;
  // The gate is shared state in Redis: every replica reports it as it is at scrape time.
  const recordSharedState = async () => {
    const [{ state }, sms, deadLetter, callbacks, archive, givenUp] = await withinASecond(
      Promise.all([
        deps.gate.state(),
        readQueueState(observed.sms, probe),
        readQueueState(observed.deadLetters, probe),
        readQueueState(observed.callbacks, probe),
        readArchiveBacklog(probe, deps.prefix),
        observed.givenUpCallbacks.counts(),
      ]),
    );
    metrics.held.set(state === 'held' ? 1 : 0);
    metrics.circuitOpen.set(state === 'circuit_open' ? 1 : 0);
    recordQueueState(metrics.queueState, SMS_QUEUE, sms);
    recordQueueState(metrics.queueState, DEAD_LETTER_QUEUE, deadLetter);
    recordQueueState(metrics.queueState, CALLBACK_QUEUE, callbacks);
    recordArchiveBacklog(metrics.queueState, archive);
    recordGivenUpCallbacks(metrics.queueState, givenUp);
  };
  return {
    beforeScrape: async () => {
      // Measured on the connection the send path uses, and even when the reads below fail.
      const health = measureRedis(metrics.redis, deps.records);
      try {
        await recordSharedState();
      } finally {
        await health;
      }
    },
    // Ready means able to work: a held gate or an open circuit is reported, but restarting the
    // worker would not fix either.
    checkReady: async () => {
      // A PING passes while Redis refuses writes; a worker could then take no job to its end.
      // Asked first: while Redis refuses, the worker is paused, and BullMQ's worker stops
      // running once its loop sees the pause; the refusal is the reason to report.
      const refusal = await withinASecond(redisWriteRefusal(probe, deps.probeKey));
      if (refusal) throw new Error(`redis refuses writes (${refusal.code}): ${refusal.reason}`);
      if (!deps.worker.isRunning()) throw new Error('worker not running');
      const sending = await withinASecond(deps.gate.state());
      return { redis: 'ok', concurrency: deps.concurrency, sending };
    },
  };
}
