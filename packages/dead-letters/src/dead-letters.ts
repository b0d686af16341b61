import type { DeadLetterEntry, DeadLetterQueue, RedisConnection, SmsQueue } from '@sms/queue';
import type { StatusStore } from '@sms/status-store';
import { pageOf, readIndex, selectRows } from './dead-letter-index';
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
import { ReplayJournal } from './replay-journal';
import { type ReplayOptions, type ReplayResult, replayMessage } from './replay-message';

export interface DeadLettersDeps {
  readonly deadLetterQueue: DeadLetterQueue;
  readonly smsQueue: SmsQueue;
  readonly statusStore: StatusStore;
  /** Connection for the locks, the replay journal and reading the queue's index. */
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

/**
 * The operator's view of the dead-letter queue: list, show, replay and delete. Replaying and
 * deleting take a per-message lock, so that two operators (or one double click) act on a message
 * once; see `replay-message.ts` for why a replay never sends a message twice.
 */
export class DeadLetters {
  private readonly journal: ReplayJournal;
  private readonly lock: MessageLock;
  private readonly now: () => number;

  constructor(private readonly deps: DeadLettersDeps) {
    this.journal = new ReplayJournal(deps.redis, deps.prefix);
    this.lock = new MessageLock(deps.redis, deps.prefix);
    this.now = deps.now ?? Date.now;
  }

  /** One page of the entries a filter selects, newest first. */
  async list(request: DeadLetterPageRequest = {}): Promise<DeadLetterPage> {
    const limit = Math.min(Math.max(request.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const selected = selectRows(await this.index(), request);
    const page = pageOf(selected, request.cursor, limit);
    const entries = await Promise.all(page.rows.map((row) => this.entry(row.id)));
    // An entry replayed or deleted since the index was read is left out of its page.
    const items = entries.flatMap((found, i) =>
      found ? [toSummary(page.rows[i]!.id, found.entry, found.interrupted)] : [],
    );
    return { items, total: selected.length, ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  }

  /** How many entries a filter selects. */
  async count(filter: DeadLetterFilter = {}): Promise<number> {
    return selectRows(await this.index(), filter).length;
  }

  /** The entry with its full payload, its history of attempts and its status record. */
  async show(id: string): Promise<DeadLetterDetails | undefined> {
    const found = await this.entry(id);
    if (!found) return undefined;
    const [attempts, record] = await Promise.all([
      this.deps.statusStore.attempts(id),
      this.deps.statusStore.read(id),
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
    const steps = { ...this.deps, journal: this.journal, now: this.now };
    const result = await this.lock.run(id, () => replayMessage(steps, id, options));
    return result.locked ? result.value : { outcome: 'not_found', id };
  }

  /** Replays every entry the filter selects, each as `replay` would. */
  async replayAll(filter: DeadLetterFilter = {}, options: ReplayOptions = {}): Promise<ReplayAllResult> {
    checkValidFor(options.validFor);
    const ids = selectRows(await this.index(), filter).map((row) => row.id);
    const counts = { replayed: 0, notFound: 0, busy: 0, failed: 0 };
    let firstError: string | undefined;
    let next = 0;
    const runner = async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        try {
          const { outcome } = await this.replay(id, options);
          counts[outcome === 'not_found' ? 'notFound' : outcome]++;
        } catch (error) {
          counts.failed++;
          firstError ??= `${id}: ${(error as Error).message}`;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(REPLAY_CONCURRENCY, ids.length) }, runner));
    return { matched: ids.length, ...counts, ...(firstError !== undefined && { firstError }) };
  }

  /** Removes the entry for good; the status record stays as it is. False when there was none. */
  async delete(id: string): Promise<boolean> {
    const result = await this.lock.run(id, async () => {
      const job = await this.deps.deadLetterQueue.getJob(id);
      if (job) await this.deps.deadLetterQueue.remove(id);
      const hadCopy = await this.journal.remove(id);
      return job !== undefined || hadCopy;
    });
    return result.locked && result.value;
  }

  private index() {
    return readIndex(this.deps.deadLetterQueue, this.deps.redis, this.journal);
  }

  private async entry(id: string): Promise<{ entry: DeadLetterEntry; interrupted: boolean } | undefined> {
    const job = await this.deps.deadLetterQueue.getJob(id);
    if (job) return { entry: job.data, interrupted: false };
    const saved = await this.journal.read(id);
    return saved && { entry: saved, interrupted: true };
  }
}

function checkValidFor(validFor: number | undefined): void {
  const { min, max } = REPLAY_VALIDITY_SECONDS;
  if (validFor !== undefined && !(Number.isInteger(validFor) && validFor >= min && validFor <= max)) {
    throw new RangeError(`validFor must be a whole number of seconds from ${min} to ${max}`);
  }
}
