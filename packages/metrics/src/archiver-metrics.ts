import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type ArchiverMetrics = ReturnType<typeof createArchiverMetrics>;

/** What became of a message the archiver took from the archive stream. */
export const ARCHIVE_OUTCOMES = ['written', 'not_final', 'missing'] as const;
/** Where an archiving step failed. */
export const ARCHIVE_FAILURE_STAGES = ['postgres', 'redis'] as const;

// A batch of 500 takes tens of milliseconds when both stores are well; seconds mean trouble.
const ARCHIVE_BATCH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** An archiver process's registry: its own metrics plus Node's default process metrics. */
export function createArchiverMetrics(registry = new Registry()) {
  collectDefaultMetrics({ register: registry });
  const archived = new Counter({
    name: 'sms_archived_messages_total',
    help: 'Messages taken from the archive stream, by outcome: written (to PostgreSQL), not_final (replayed since: left to its next final state), missing (its Redis record was gone).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'sms_archive_failures_total',
    help: 'Archiving steps that failed and will be tried again, by stage (postgres, redis).',
    labelNames: ['stage'] as const,
    registers: [registry],
  });
  // Zero from the start, so that rate() and alerts see every series before the first event.
  for (const outcome of ARCHIVE_OUTCOMES) archived.inc({ outcome }, 0);
  for (const stage of ARCHIVE_FAILURE_STAGES) failures.inc({ stage }, 0);
  return {
    registry,
    archived,
    failures,
    batchDuration: new Histogram({
      name: 'sms_archive_batch_duration_seconds',
      help: 'Time to archive one batch: read from Redis, written to PostgreSQL, released in Redis.',
      buckets: ARCHIVE_BATCH_BUCKETS,
      registers: [registry],
    }),
    postgresUp: new Gauge({
      name: 'sms_archive_postgres_up',
      help: '1 while PostgreSQL answers the archiver, 0 while it does not (the backlog then grows in Redis).',
      registers: [registry],
    }),
  };
}
