import { isDeadLetterReason } from '@sms/contracts';
import type { DeadLetterEntry, DeadLetterQueue, RedisConnection, SmsQueue } from '@sms/queue';
import type { StatusStore } from '@sms/status-store';
import { DeadLetterIndex, type IndexRow } from './dead-letter-index';
import {
  DEFAULT_PAGE_SIZE,
  type DeadLetterFilter,
  type DeadLetterPageRequest,
  MAX_PAGE_SIZE,
  REPLAY_VALIDITY_SECONDS,
} from './dead-letter-query';
import {
  type DeadLetterDetails,
  type DeadLetterPage,
  type ReplayAllResult,
  toDetails,
  toSummary,
} from './dead-letter-views';
import { MessageLock } from './message-lock';
import { operatorKeys } from './operator-keys';
import { ReplayJournal } from './replay-journal';
import { type ReplayOptions, type ReplayResult, replayMessage, type StatusReads } from './replay-message';

export interface DeadLettersDeps {
  readonly deadLetterQueue: DeadLetterQueue;
  readonly smsQueue: SmsQueue;
  /** Where a replay writes the message's status. */
  readonly statusStore: StatusStore;
  /**
   * Where the status and the attempts are read: `statusStore`, or a lookup that goes on to the
   * archive once Redis has let a record go (`StatusLookup` of `@sms/archive`). @defaultValue statusStore
   */
  readonly statusLookup?: StatusReads;
  /** Connection for the locks, the replay journal and the dead-letter index. */
  readonly redis: RedisConnection;
  /** Key prefix shared with the queues: `redisKeyPrefix(QUEUE_PREFIX)` (`@sms/config`). */
  readonly prefix: string;
  /** Attempts a replayed message gets (`SEND_ATTEMPTS`). */
  readonly sendAttempts: number;
  /** Clock, in milliseconds; replaced in tests only. */
  readonly now?: () => number;
}

// Replays running at once in `replayAll`: enough to hide round trips, few enough to leave Redis
// to the gateway.
const REPLAY_CONCURRENCY = 8;
// Ids `replayAll` reads from the index at a time.
const REPLAY_PAGE = 500;

type Tally = { -readonly [K in 'replayed' | 'notFound' | 'busy' | 'failed']: number } & {
  firstError?: string;
};

/**
 * The operator's view of the dead-letter queue: list, show, replay and delete. Replaying and
 * deleting take a per-message lock, so that two operators (or one double click) act on a message
 * once; see `replay-message.ts` for why a replay never sends a message twice.
 */
export class DeadLetters {
  private readonly journal: ReplayJournal;
  private readonly index: DeadLetterIndex;
  private readonly lock: MessageLock;
  private readonly now: () => number;
  private readonly statusLookup: StatusReads;

  constructor(private readonly deps: DeadLettersDeps) {
    this.statusLookup = deps.statusLookup ?? deps.statusStore;
    this.journal = new ReplayJournal(deps.redis, deps.prefix);
    this.index = new DeadLetterIndex(deps.deadLetterQueue, deps.redis, deps.prefix);
    this.lock = new MessageLock(deps.redis, operatorKeys(deps.prefix).lockPrefix);
    this.now = deps.now ?? Date.now;
  }

  /** One page of the entries a filter selects, newest first. */
  async list(request: DeadLetterPageRequest = {}): Promise<DeadLetterPage> {
    const limit = Math.min(Math.max(request.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    await this.index.ensureBuilt();
    const page = await this.index.page(request, request.cursor, limit, true);
    // An entry replayed or deleted since the page was read, or whose data no filter could select
    // (altered since it was indexed), is left out of its page.
    const items = page.rows.flatMap((row) => {
      const entry = entryOf(row);
      return entry ? [toSummary(row.id, entry, row.interrupted)] : [];
    });
    return { items, total: page.total, ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  }

  /** How many entries a filter selects. */
  async count(filter: DeadLetterFilter = {}): Promise<number> {
    await this.index.ensureBuilt();
    return this.index.count(filter);
  }

  /** The entry with its full payload, its history of attempts and its status record. */
  async show(id: string): Promise<DeadLetterDetails | undefined> {
    const found = await this.entry(id);
    if (!found) return undefined;
    const [attempts, record] = await Promise.all([
      this.statusLookup.attempts(id),
      this.statusLookup.read(id),
    ]);
    return toDetails(id, found.entry, found.interrupted, attempts, record);
  }

  /**
   * Puts the message back on the send queue under the same id, its status `queued` again and
   * its history kept. Of two replays of one message, one replays it and the other answers
   * `not_found`.
   */
  async replay(id: string, options: ReplayOptions = {}): Promise<ReplayResult> {
    checkValidFor(options.validFor);
    const steps = {
      ...this.deps,
      statusLookup: this.statusLookup,
      journal: this.journal,
      index: this.index,
      now: this.now,
    };
    const result = await this.lock.run(id, () => replayMessage(steps, id, options));
    return result.locked ? result.value : { outcome: 'not_found', id };
  }

  /**
   * Replays every entry the filter selects, each as `replay` would, walking the index a page at
   * a time from the newest entry to the oldest. An entry dead-lettered during the walk is
   * replayed if its time is still ahead of the walk, and no entry is replayed twice.
   */
  async replayAll(filter: DeadLetterFilter = {}, options: ReplayOptions = {}): Promise<ReplayAllResult> {
    checkValidFor(options.validFor);
    await this.index.ensureBuilt();
    const tally: Tally = { replayed: 0, notFound: 0, busy: 0, failed: 0 };
    const matched = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.index.page(filter, cursor, REPLAY_PAGE, false);
      const ids = page.rows.map((row) => row.id).filter((id) => !matched.has(id));
      for (const id of ids) matched.add(id);
      await this.replayEach(ids, options, tally);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    const { firstError, ...counts } = tally;
    return { matched: matched.size, ...counts, ...(firstError !== undefined && { firstError }) };
  }

  // Replays the ids REPLAY_CONCURRENCY at a time, counting each outcome in `tally`.
  private async replayEach(ids: readonly string[], options: ReplayOptions, tally: Tally): Promise<void> {
    let next = 0;
    const runner = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        try {
          const { outcome } = await this.replay(id, options);
          tally[outcome === 'not_found' ? 'notFound' : outcome]++;
        } catch (error) {
          tally.failed++;
          tally.firstError ??= `${id}: ${(error as Error).message}`;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(REPLAY_CONCURRENCY, ids.length) }, runner));
  }

  /** Removes the entry for good; the status record stays as it is. False when there was none. */
  async delete(id: string): Promise<boolean> {
    const result = await this.lock.run(id, async () => {
      const job = await this.deps.deadLetterQueue.getJob(id);
      if (job) await this.deps.deadLetterQueue.remove(id);
      const hadCopy = await this.journal.remove(id);
      await this.index.forget(id);
      return job !== undefined || hadCopy;
    });
    return result.locked && result.value;
  }

  private async entry(id: string): Promise<{ entry: DeadLetterEntry; interrupted: boolean } | undefined> {
    const job = await this.deps.deadLetterQueue.getJob(id);
    if (job) return { entry: job.data, interrupted: false };
    const saved = await this.journal.read(id);
    return saved && { entry: saved, interrupted: true };
  }
}

// The entry a page's row carries, if it is one the listing can show: the same test as the index
// build applies, for data altered after it was indexed.
function entryOf(row: IndexRow): DeadLetterEntry | undefined {
  if (row.data === undefined) return undefined;
  try {
    const entry = JSON.parse(row.data) as Partial<DeadLetterEntry> | null;
    return entry && isDeadLetterReason(entry.reason) && typeof entry.deadLetteredAt === 'number'
      ? (entry as DeadLetterEntry)
      : undefined;
  } catch {
    return undefined;
  }
}

function checkValidFor(validFor: number | undefined): void {
  const { min, max } = REPLAY_VALIDITY_SECONDS;
  if (validFor !== undefined && !(Number.isInteger(validFor) && validFor >= min && validFor <= max)) {
    throw new RangeError(`validFor must be a whole number of seconds from ${min} to ${max}`);
  }
}
