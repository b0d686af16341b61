import type { CallbackEvent, CallbackStatus } from '@sms/contracts';
import { isIntegerReply, RedisScript } from '@sms/queue';
import type { Cluster, Redis } from 'ioredis';
import { type OutboxEntry, outboxIndexKey, outboxKey, parseOutboxEntry } from './callback-outbox';
import { type CallbackJobSettings, type CallbackQueue, scheduleCallbacks } from './callback-queue';
import { givenUpKeys, parseEventId } from './given-up-keys';
import { decodeGivenUpCursor, encodeGivenUpCursor, GIVEN_UP_PAGE } from './given-up-page';

/** A callback given up after its last attempt, as operators see it. */
export interface GivenUpCallback {
  /** The event's id, `<messageId>:<sequence>`, as the receiver would have had it. */
  readonly id: string;
  readonly messageId: string;
  readonly sequence: number;
  readonly client: string;
  readonly status: CallbackStatus;
  /** Host (and port) of the receiver only: the path and query may hold the client's own tokens. */
  readonly host: string;
  /** When the status changed (ISO 8601). */
  readonly at: string;
  readonly givenUpAt: string;
  readonly attempts: number;
  /** Why the last attempt failed: the receiver's HTTP status, or the network error. */
  readonly lastError: string;
}

/** One given-up callback in full: with the body a replay posts (signed when it is posted). */
export interface GivenUpCallbackDetails extends GivenUpCallback {
  readonly event: CallbackEvent;
}

export interface GivenUpFilter {
  readonly client?: string;
  /** Given up at or after, in ms since the epoch. */
  readonly since?: number;
  /** Given up before, in ms since the epoch. */
  readonly until?: number;
}

export interface GivenUpPageRequest extends GivenUpFilter {
  readonly limit: number;
  readonly cursor?: string;
}

export interface GivenUpPage {
  readonly callbacks: GivenUpCallback[];
  /** How many the filter selects, on every page. */
  readonly total: number;
  readonly nextCursor?: string;
}

export interface ReplayedCallbacks {
  /** The ids put back in their message's outbox, in the order they will be posted. */
  readonly replayed: string[];
  /** The ids that are not (or no longer) given up: replayed already, swept, or never given up. */
  readonly notFound: string[];
}

export interface GivenUpCallbacksOptions {
  readonly prefix: string;
  /**
   * CALLBACK_FAILED_RETENTION_SECONDS: how long a given-up callback is kept for a replay. Only
   * `giveUp` and `sweep` (the worker's) use it; those who only list and replay may leave it out.
   */
  readonly retentionSeconds?: number;
  /** The outboxes' retention (STATUS_RETENTION_SECONDS), renewed when a replay refills one. */
  readonly outboxRetentionSeconds: number;
  readonly now?: () => number;
}

// KEYS: outbox, outbox index, record, index, client index. ARGV: the head given up, now ms,
// message id, event id, client, last error, attempts, record TTL s. The head leaves the outbox
// and is kept for a replay in one step, so a crash cannot lose it between the two, and it is
// kept only while it is still the head (a job redelivered after a crash finds it gone).
const GIVE_UP = new RedisScript<
  [outbox: string, outboxIndex: string, record: string, index: string, clientIndex: string],
  [
    raw: string,
    now: number,
    messageId: string,
    id: string,
    client: string,
    error: string,
    attempts: number,
    ttl: number,
  ],
  number
>({
  name: 'smsCallbackGiveUp',
  isReply: isIntegerReply,
  lua: `
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then
  redis.call('LPOP', KEYS[1])
  redis.call('HSET', KEYS[3], 'raw', ARGV[1], 'client', ARGV[5], 'lastError', ARGV[6], 'attempts', ARGV[7], 'givenUpAt', ARGV[2])
  redis.call('EXPIRE', KEYS[3], ARGV[8])
  redis.call('ZADD', KEYS[4], ARGV[2], ARGV[4])
  redis.call('ZADD', KEYS[5], ARGV[2], ARGV[4])
end
local left = redis.call('LLEN', KEYS[1])
if left == 0 then redis.call('ZREM', KEYS[2], ARGV[3]) else redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3]) end
return left
`,
});

// KEYS: outbox, outbox index, index, replayed counter, then per event its record and client
// index. ARGV: outbox TTL s, now ms, message id, then the event ids, oldest first. Each event
// still given up goes to the tail of its message's outbox, behind what already waits there, so
// it passes through the same one-at-a-time delivery as every other event. Returns the ids put back.
const REPLAY = new RedisScript<string[], (string | number)[], string[]>({
  name: 'smsCallbackReplay',
  isReply: (reply): reply is string[] => Array.isArray(reply),
  lua: `
local replayed = {}
for i = 4, #ARGV do
  local record, clientIndex = KEYS[5 + (i - 4) * 2], KEYS[6 + (i - 4) * 2]
  local raw = redis.call('HGET', record, 'raw')
  if raw then
    redis.call('RPUSH', KEYS[1], raw)
    redis.call('DEL', record)
    redis.call('ZREM', KEYS[3], ARGV[i])
    redis.call('ZREM', clientIndex, ARGV[i])
    replayed[#replayed + 1] = ARGV[i]
  end
end
if #replayed > 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
  redis.call('INCRBY', KEYS[4], #replayed)
end
return replayed
`,
});

// Records outlive the sweep by a day, so the sweep (not the TTL) decides, and the index never
// names a record that is gone; the TTL only catches a record whose sweep never ran.
const RECORD_TTL_SLACK_SECONDS = 86_400;
const SWEEP_BATCH = 500;

/**
 * Status callbacks given up after CALLBACK_ATTEMPTS, kept for CALLBACK_FAILED_RETENTION_SECONDS
 * so that operators can list, show and replay them once the receiver is back.
 */
export class GivenUpCallbacks {
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly options: GivenUpCallbacksOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Takes a given-up head out of its message's outbox and keeps it; resolves with how many
   * events of the message still wait (as `CallbackOutbox.remove`).
   */
  async giveUp(
    messageId: string,
    entry: OutboxEntry,
    failure: { lastError: string; attempts: number },
  ): Promise<number> {
    const { prefix } = this.options;
    const { client } = entry.pending;
    return GIVE_UP.run(
      this.redis,
      [
        outboxKey(prefix, messageId),
        outboxIndexKey(prefix),
        givenUpKeys.record(prefix, entry.event.id),
        givenUpKeys.index(prefix),
        givenUpKeys.clientIndex(prefix, client),
      ],
      [
        entry.raw,
        this.now(),
        messageId,
        entry.event.id,
        client,
        failure.lastError,
        failure.attempts,
        this.retention() + RECORD_TTL_SLACK_SECONDS,
      ],
    );
  }

  /** One page, newest first; the cursor is the previous page's `nextCursor`. */
  async list(request: GivenUpPageRequest): Promise<GivenUpPage> {
    const { prefix } = this.options;
    const cursor = request.cursor === undefined ? undefined : decodeGivenUpCursor(request.cursor);
    const reply = await GIVEN_UP_PAGE.run(
      this.redis,
      [this.indexOf(request)],
      [
        String(request.limit),
        request.since === undefined ? '-inf' : String(request.since),
        request.until === undefined ? '+inf' : `(${request.until}`,
        cursor === undefined ? '' : String(cursor.givenUpAt),
        cursor?.id ?? '',
      ],
    );
    const [total, ...pairs] = reply as [number, ...string[]];
    const ids: string[] = [];
    for (let i = 0; i < pairs.length; i += 2) ids.push(pairs[i]!);
    const shown = ids.slice(0, request.limit);
    const records = await Promise.all(shown.map((id) => this.redis.hgetall(givenUpKeys.record(prefix, id))));
    const callbacks = shown.flatMap((id, i) => {
      const view = viewOf(id, records[i]!);
      return view ? [stripEvent(view)] : [];
    });
    const last = shown.at(-1);
    const lastScore = pairs[(shown.length - 1) * 2 + 1];
    return {
      callbacks,
      total: Number(total),
      ...(ids.length > request.limit &&
        last !== undefined && {
          nextCursor: encodeGivenUpCursor({ givenUpAt: Number(lastScore), id: last }),
        }),
    };
  }

  /** How many the filter selects. */
  async count(filter: GivenUpFilter): Promise<number> {
    return (await this.list({ ...filter, limit: 1 })).total;
  }

  async show(id: string): Promise<GivenUpCallbackDetails | undefined> {
    return viewOf(id, await this.redis.hgetall(givenUpKeys.record(this.options.prefix, id)));
  }

  /**
   * Puts given-up callbacks back in their messages' outboxes and makes sure a job posts them.
   * Each message's are put back oldest first (by sequence), whatever the order of `ids`, behind
   * the events that already wait: a replay never overtakes a newer event still queued, and the
   * receiver may get an older status after a newer one, which the event's `sequence` tells.
   */
  async replay(
    ids: readonly string[],
    queue: CallbackQueue,
    job: CallbackJobSettings,
  ): Promise<ReplayedCallbacks> {
    const { prefix } = this.options;
    const byMessage = new Map<string, { id: string; sequence: number }[]>();
    const notFound: string[] = [];
    for (const id of new Set(ids)) {
      const parsed = parseEventId(id);
      if (!parsed) {
        notFound.push(id);
        continue;
      }
      const events = byMessage.get(parsed.messageId) ?? [];
      events.push({ id, sequence: parsed.sequence });
      byMessage.set(parsed.messageId, events);
    }
    const replayed: string[] = [];
    for (const [messageId, events] of byMessage) {
      events.sort((a, b) => a.sequence - b.sequence);
      const records = await Promise.all(
        events.map(async ({ id }) => ({
          id,
          client: await this.redis.hget(givenUpKeys.record(prefix, id), 'client'),
        })),
      );
      const present = records.filter(
        (record): record is { id: string; client: string } => record.client !== null,
      );
      notFound.push(...records.filter((record) => record.client === null).map(({ id }) => id));
      if (present.length === 0) continue;
      const done = await REPLAY.run(
        this.redis,
        [
          outboxKey(prefix, messageId),
          outboxIndexKey(prefix),
          givenUpKeys.index(prefix),
          givenUpKeys.replayed(prefix),
          ...present.flatMap(({ id, client }) => [
            givenUpKeys.record(prefix, id),
            givenUpKeys.clientIndex(prefix, client),
          ]),
        ],
        [this.options.outboxRetentionSeconds, this.now(), messageId, ...present.map(({ id }) => id)],
      );
      // An id another replay took between the read and the script is that replay's.
      notFound.push(...present.filter(({ id }) => !done.includes(id)).map(({ id }) => id));
      replayed.push(...done);
      if (done.length === 0) continue;
      await scheduleCallbacks(queue, { messageId, client: present[0]!.client }, job);
    }
    return { replayed, notFound };
  }

  /** Replays every given-up callback the filter selects; see `replay` for the order. */
  async replayAll(
    filter: GivenUpFilter,
    queue: CallbackQueue,
    job: CallbackJobSettings,
  ): Promise<ReplayedCallbacks> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list({ ...filter, limit: 500, ...(cursor !== undefined && { cursor }) });
      ids.push(...page.callbacks.map(({ id }) => id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return this.replay(ids, queue, job);
  }

  /** Removes those given up longer ago than the retention, oldest first; resolves with how many. */
  async sweep(): Promise<number> {
    const { prefix } = this.options;
    const before = this.now() - this.retention() * 1000;
    let removed = 0;
    for (;;) {
      const ids = await this.redis.zrangebyscore(
        givenUpKeys.index(prefix),
        '-inf',
        `(${before}`,
        'LIMIT',
        0,
        SWEEP_BATCH,
      );
      for (const id of ids) {
        const client = await this.redis.hget(givenUpKeys.record(prefix, id), 'client');
        const multi = this.redis
          .multi()
          .del(givenUpKeys.record(prefix, id))
          .zrem(givenUpKeys.index(prefix), id);
        if (client !== null) multi.zrem(givenUpKeys.clientIndex(prefix, client), id);
        await multi.exec();
      }
      removed += ids.length;
      if (ids.length < SWEEP_BATCH) return removed;
    }
  }

  /** What the gauges read on scrape: how many are kept, and how many were ever replayed. */
  async counts(): Promise<{ givenUp: number; replayed: number }> {
    const { prefix } = this.options;
    const [givenUp, replayed] = await Promise.all([
      this.redis.zcard(givenUpKeys.index(prefix)),
      this.redis.get(givenUpKeys.replayed(prefix)),
    ]);
    return { givenUp, replayed: Number(replayed ?? 0) };
  }

  private retention(): number {
    const seconds = this.options.retentionSeconds;
    if (seconds === undefined) throw new Error('GivenUpCallbacks needs retentionSeconds to give up or sweep');
    return seconds;
  }

  private indexOf(filter: GivenUpFilter): string {
    const { prefix } = this.options;
    return filter.client === undefined
      ? givenUpKeys.index(prefix)
      : givenUpKeys.clientIndex(prefix, filter.client);
  }
}

function viewOf(id: string, record: Record<string, string>): GivenUpCallbackDetails | undefined {
  const parsed = parseEventId(id);
  if (!parsed || record.raw === undefined) return undefined;
  const entry = parseOutboxEntry(parsed.messageId, record.raw);
  if (!entry) return undefined;
  return {
    id,
    messageId: parsed.messageId,
    sequence: entry.event.sequence,
    client: entry.pending.client,
    status: entry.pending.status,
    host: URL.parse(entry.pending.url)?.host ?? 'invalid',
    at: entry.event.at,
    givenUpAt: new Date(Number(record.givenUpAt)).toISOString(),
    attempts: Number(record.attempts),
    lastError: record.lastError ?? '',
    event: entry.event,
  };
}

function stripEvent({ event: _event, ...callback }: GivenUpCallbackDetails): GivenUpCallback {
  return callback;
}
