import { Gauge, type Registry } from 'prom-client';

export type QueueStateMetrics = ReturnType<typeof createQueueStateMetrics>;

/**
 * Queue depths, read from Redis when scraped. Every API and worker replica reports the same
 * values, so dashboards and alerts aggregate them with max(), not sum().
 */
export function createQueueStateMetrics(registry: Registry) {
  return {
    jobs: new Gauge({
      name: 'sms_queue_jobs',
      help: 'Jobs in a queue by state (waiting, delayed: due within a minute, scheduled: due later, active, prioritized, failed); same on every replica.',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    }),
    oldestWaitingAge: new Gauge({
      name: 'sms_queue_oldest_waiting_age_seconds',
      help: 'Age of the oldest message waiting to be sent (0 when none waits); same on every replica.',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
    oldestDeadLetterAge: new Gauge({
      name: 'sms_dead_letters_oldest_age_seconds',
      help: 'Age of the oldest dead letter, from when it was dead-lettered (0 when there is none); same on every replica.',
      registers: [registry],
    }),
    archiveBacklog: new Gauge({
      name: 'sms_archive_backlog_messages',
      help: 'Final messages waiting to be archived to PostgreSQL (0 without an archiver); same on every replica.',
      registers: [registry],
    }),
    archiveBacklogOldestAge: new Gauge({
      name: 'sms_archive_backlog_oldest_age_seconds',
      help: 'Age of the oldest final message waiting to be archived (0 when none waits); same on every replica.',
      registers: [registry],
    }),
    archiveOverflowed: new Gauge({
      name: 'sms_archive_overflowed_total',
      help: 'Final messages never archived because the archive backlog was at ARCHIVE_BACKLOG_LIMIT (they keep their full Redis retention); a count that only grows, read from Redis; same on every replica.',
      registers: [registry],
    }),
    callbacksGivenUp: new Gauge({
      name: 'sms_callbacks_given_up',
      help: 'Status callbacks given up after CALLBACK_ATTEMPTS and kept for a replay (for CALLBACK_FAILED_RETENTION_SECONDS); same on every replica.',
      registers: [registry],
    }),
    callbacksReplayed: new Gauge({
      name: 'sms_callbacks_replayed_total',
      help: 'Given-up status callbacks put back in their outbox by a replay (API or sms callbacks --direct); a count that only grows, read from Redis; same on every replica.',
      registers: [registry],
    }),
  };
}

/** What `readQueueState` from @sms/queue returns, as far as the gauges need it. */
export interface ObservedQueueState {
  readonly counts: Readonly<Record<string, number>>;
  readonly oldestWaitingAgeSeconds: number;
  /** Read for the dead-letter queue only. */
  readonly oldestDeadLetterAgeSeconds?: number;
}

/** Sets the gauges of one queue from a fresh reading. */
export function recordQueueState(metrics: QueueStateMetrics, queue: string, state: ObservedQueueState): void {
  for (const [name, count] of Object.entries(state.counts)) metrics.jobs.set({ queue, state: name }, count);
  metrics.oldestWaitingAge.set({ queue }, state.oldestWaitingAgeSeconds);
  if (state.oldestDeadLetterAgeSeconds !== undefined) {
    metrics.oldestDeadLetterAge.set(state.oldestDeadLetterAgeSeconds);
  }
}

/** What `readArchiveBacklog` from @sms/queue returns. */
export interface ObservedArchiveBacklog {
  readonly messages: number;
  readonly oldestAgeSeconds: number;
  readonly overflowed: number;
}

/** Sets the archive backlog's gauges from a fresh reading. */
export function recordArchiveBacklog(metrics: QueueStateMetrics, backlog: ObservedArchiveBacklog): void {
  metrics.archiveBacklog.set(backlog.messages);
  metrics.archiveBacklogOldestAge.set(backlog.oldestAgeSeconds);
  metrics.archiveOverflowed.set(backlog.overflowed);
}

/** What `GivenUpCallbacks.counts` from @sms/callbacks returns. */
export interface ObservedGivenUpCallbacks {
  readonly givenUp: number;
  readonly replayed: number;
}

/** Sets the given-up callbacks' gauges from a fresh reading. */
export function recordGivenUpCallbacks(metrics: QueueStateMetrics, counts: ObservedGivenUpCallbacks): void {
  metrics.callbacksGivenUp.set(counts.givenUp);
  metrics.callbacksReplayed.set(counts.replayed);
}
