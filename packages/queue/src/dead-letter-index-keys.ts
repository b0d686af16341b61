import { DEAD_LETTER_REASONS, type DeadLetterReason } from '@sms/contracts';

/**
 * The keys of the dead-letter index: sorted sets of message ids scored by `deadLetteredAt`, one
 * for every entry and one per reason, so that a page, a count or the oldest entry costs a few
 * sorted-set reads instead of a pass over the queue. All under the gateway's key prefix, which
 * carries the Redis Cluster hash tag: the sets, the queue and every job hash share one slot, so
 * one script can touch them together.
 */
export interface DeadLetterIndexKeys {
  readonly all: string;
  /** In the order of `DEAD_LETTER_REASONS`. */
  readonly byReason: Readonly<Record<DeadLetterReason, string>>;
  /** Holds `DEAD_LETTER_INDEX_VERSION` once the index was built from the queue (`@sms/dead-letters`). */
  readonly version: string;
  /**
   * Prefix of a short-lived mark set while `deadLetter` is between its index write and its job
   * add, so that a reader never takes the new index member for one a crash left without a job.
   */
  readonly writingPrefix: string;
}

/** Bumped when the index's layout changes: a reader that finds another version builds it anew. */
export const DEAD_LETTER_INDEX_VERSION = '1';

/** `prefix` as the queues take it: `redisKeyPrefix(QUEUE_PREFIX)` of `@sms/config`. */
export function deadLetterIndexKeys(prefix: string): DeadLetterIndexKeys {
  const base = `${prefix}:dead-letters:index`;
  return {
    all: `${base}:all`,
    byReason: Object.fromEntries(
      DEAD_LETTER_REASONS.map((reason) => [reason, `${base}:${reason}`]),
    ) as Record<DeadLetterReason, string>,
    version: `${base}:version`,
    writingPrefix: `${prefix}:dead-letters:writing:`,
  };
}

/** The index's sorted sets: every entry's first, then one per reason in `DEAD_LETTER_REASONS` order. */
export function indexSets(keys: DeadLetterIndexKeys): string[] {
  return [keys.all, ...DEAD_LETTER_REASONS.map((reason) => keys.byReason[reason])];
}
