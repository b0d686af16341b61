import type { ArchivedMessage } from '@sms/archive';
import { isFinalStatus } from '@sms/contracts';
import { referenceIndexKey, type StatusRecord, type StatusStore } from '@sms/status-store';
import type { Cluster, Redis } from 'ioredis';
import type { ArchiveEntry } from './archive-consumer';
import { type ArchivedRecordKeys, finishArchivedBatch } from './finish-archived-batch';

/** What an archiving step needs. */
export interface ArchiveBatchDeps {
  readonly redis: Redis | Cluster;
  readonly statusStore: StatusStore;
  /** `ArchiveWriter` of @sms/archive: one transaction per call. */
  readonly writer: { write(messages: readonly ArchivedMessage[]): Promise<number> };
  readonly prefix: string;
  /** STATUS_HOT_SECONDS, in ms. */
  readonly hotMs: number;
  readonly now?: () => number;
  /** Told of a record the gateway never writes; it is acknowledged as missing. */
  readonly onCorrupt?: (id: string, error: unknown) => void;
}

/** How many messages of a batch ended each way. */
export interface BatchOutcome {
  readonly written: number;
  readonly notFinal: number;
  readonly missing: number;
}

/** Where a batch failed: the step it was at, and what went wrong. */
export class ArchiveStepError extends Error {
  readonly code = 'ARCHIVE_STEP_FAILED';

  constructor(
    readonly stage: 'postgres' | 'redis',
    cause: unknown,
  ) {
    super(`archiving failed at ${stage}: ${(cause as { message?: unknown })?.message ?? String(cause)}`, {
      cause,
    });
    this.name = this.constructor.name;
  }
}

/**
 * Archives one batch: reads the records and histories of its messages from Redis, writes the
 * final ones to PostgreSQL in one transaction, and only after the COMMIT releases them in Redis
 * and acknowledges the whole batch. A message no longer final (a dead letter replayed since) is
 * acknowledged without a row: its next final state comes as an entry of its own. One whose
 * record is gone is acknowledged as missing. On a failure nothing is acknowledged: the batch
 * stays pending and is tried again (the write is idempotent). Rejects with `ArchiveStepError`.
 */
export async function archiveBatch(
  deps: ArchiveBatchDeps,
  entries: readonly ArchiveEntry[],
): Promise<BatchOutcome> {
  const ids = [...new Set(entries.flatMap((entry) => (entry.id === undefined ? [] : [entry.id])))];
  const loaded = await atStage('redis', () => deps.statusStore.readWithHistory(ids));
  const messages: ArchivedMessage[] = [];
  let notFinal = 0;
  let missing = 0;
  for (const id of ids) {
    const { record, history, error } = loaded.get(id) ?? { record: undefined, history: [] };
    const problem =
      error ?? (record && !hasValidTimes(record) ? new Error('no valid createdAt or updatedAt') : undefined);
    if (problem !== undefined) deps.onCorrupt?.(id, problem);
    if (record === undefined || problem !== undefined) missing += 1;
    else if (!isFinalStatus(record.status)) notFinal += 1;
    else messages.push({ ...record, history });
  }
  if (messages.length > 0) await atStage('postgres', () => deps.writer.write(messages));
  await atStage('redis', () =>
    finishArchivedBatch(
      deps.redis,
      { prefix: deps.prefix, hotMs: deps.hotMs, now: (deps.now ?? Date.now)() },
      messages.map((message) => releaseKeys(deps, message)),
      entries.map((entry) => entry.entryId),
    ),
  );
  return { written: messages.length, notFinal, missing };
}

// A time PostgreSQL cannot take would fail the batch on every try, and hold up every batch after it.
function hasValidTimes(record: StatusRecord): boolean {
  return Number.isFinite(record.createdAt) && Number.isFinite(record.updatedAt);
}

function releaseKeys(deps: ArchiveBatchDeps, message: ArchivedMessage): ArchivedRecordKeys {
  return {
    id: message.id,
    record: deps.statusStore.key(message.id),
    attempts: deps.statusStore.attemptsKey(message.id),
    updatedAt: message.updatedAt,
    status: message.status,
    ...(message.reference !== undefined && {
      referenceIndex: referenceIndexKey(deps.prefix, message.client, message.reference),
    }),
  };
}

async function atStage<T>(stage: 'postgres' | 'redis', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new ArchiveStepError(stage, error);
  }
}
