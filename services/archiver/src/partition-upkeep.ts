import { dropPartitionsBefore, ensurePartitions } from '@sms/archive';
import type { Pool } from 'pg';
import type { Logger } from 'pino';

const DAY_MS = 86_400_000;
/** Today's partition and the next two: a write never waits on creating one at midnight. */
const DAYS_AHEAD = 3;

/** What one round of upkeep did. */
export interface PartitionUpkeep {
  readonly created: readonly string[];
  readonly dropped: readonly string[];
}

/**
 * Creates the coming days' partitions and drops those older than the retention, rounded up to
 * whole days: a partition goes only when every message in it is past STATUS_RETENTION_SECONDS.
 */
export async function keepPartitions(
  pool: Pool,
  now: number,
  retentionSeconds: number,
): Promise<PartitionUpkeep> {
  const created = await ensurePartitions(pool, now, DAYS_AHEAD);
  const retentionDays = Math.ceil(retentionSeconds / 86_400);
  const dropped = await dropPartitionsBefore(pool, now - retentionDays * DAY_MS);
  return { created, dropped };
}

export interface PartitionUpkeepSchedule {
  readonly pool: Pool;
  /** STATUS_RETENTION_SECONDS. */
  readonly retentionSeconds: number;
  /** Between rounds, in ms. */
  readonly intervalMs: number;
  /** Told after each round that reached PostgreSQL. */
  readonly onDone: () => void;
  readonly logger: Pick<Logger, 'info' | 'error'>;
}

// After a failed round, the next comes in a minute rather than an hour: the writer creates a
// missing day itself, but old days are dropped only here.
const RETRY_MS = 60_000;

/** Runs `keepPartitions` now and every `intervalMs`; `stop` waits for a round in progress. */
export function startPartitionUpkeep(schedule: PartitionUpkeepSchedule): { stop(): Promise<void> } {
  const { logger, intervalMs } = schedule;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const round = async () => {
    let nextInMs = intervalMs;
    try {
      const { created, dropped } = await keepPartitions(schedule.pool, Date.now(), schedule.retentionSeconds);
      schedule.onDone();
      if (created.length + dropped.length > 0) logger.info({ created, dropped }, 'archive partitions kept');
    } catch (err) {
      nextInMs = Math.min(intervalMs, RETRY_MS);
      logger.error({ err }, 'archive partition upkeep failed; trying again later');
    }
    if (!stopped) timer = setTimeout(() => (current = round()), nextInMs);
  };
  current = round();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
