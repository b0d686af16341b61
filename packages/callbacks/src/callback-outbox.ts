import { type CallbackEvent, type CallbackStatus, isCallbackStatus } from '@sms/contracts';
import { CorruptRecordError, isIntegerReply, RedisScript } from '@sms/queue';
import type { Cluster, Redis } from 'ioredis';

/** An event as its producer records it: what the receiver is told, and where it goes. */
export interface PendingEvent {
  readonly client: string;
  readonly url: string;
  readonly status: CallbackStatus;
  readonly reference?: string;
  readonly code?: number;
  /** When the status changed, in ms since the epoch. */
  readonly at: number;
}

/** The head of a message's outbox: the next event to deliver, as stored and as sent. */
export interface OutboxEntry {
  /** The stored entry, as `remove` needs it. */
  readonly raw: string;
  readonly pending: PendingEvent;
  readonly event: CallbackEvent;
}

export interface CallbackOutboxOptions {
  /** Key prefix shared with the queues. */
  readonly prefix: string;
  /** How long a message's outbox and sequence counter live after its last event, in seconds. */
  readonly retentionSeconds: number;
  /** Clock, in milliseconds; replaced in tests only. */
  readonly now?: () => number;
}

// KEYS: outbox, sequence counter, index of non-empty outboxes. ARGV: retention s, event JSON,
// now ms, message id. The number and the append are one step, so events are numbered in the
// order they wait in; the index notes when the outbox last moved, for `stale`.
const PUSH = new RedisScript<
  [outbox: string, sequence: string, index: string],
  [retentionSeconds: number, json: string, now: number, messageId: string],
  number
>({
  name: 'smsCallbackPush',
  isReply: isIntegerReply,
  lua: `
local sequence = redis.call('INCR', KEYS[2])
redis.call('RPUSH', KEYS[1], sequence .. ':' .. ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
return sequence
`,
});

// KEYS: outbox, index. ARGV: the entry that was delivered or given up, now ms, message id.
// Removed only while it is still the head, so a job redelivered after a crash cannot drop the
// event behind it. Returns what is left.
const REMOVE = new RedisScript<
  [outbox: string, index: string],
  [raw: string, now: number, messageId: string],
  number
>({
  name: 'smsCallbackRemove',
  isReply: isIntegerReply,
  lua: `
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]) end
local left = redis.call('LLEN', KEYS[1])
if left == 0 then redis.call('ZREM', KEYS[2], ARGV[3]) else redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3]) end
return left
`,
});

/** The list of one message's events waiting for its receiver. */
export const outboxKey = (prefix: string, messageId: string) => `${prefix}:callback-outbox:${messageId}`;
/** The non-empty outboxes, by when each last moved. */
export const outboxIndexKey = (prefix: string) => `${prefix}:callback-outboxes`;

/**
 * Each message's status events waiting for its receiver, in order, in one Redis list per
 * message. Only the callback job of that message (one at a time: see `CallbackQueue`) reads and
 * removes its head, so events reach the receiver in the order they were pushed.
 */
export class CallbackOutbox {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly options: CallbackOutboxOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.indexKey = outboxIndexKey(options.prefix);
  }

  private readonly now: () => number;
  private readonly indexKey: string;

  private key(messageId: string): string {
    return outboxKey(this.options.prefix, messageId);
  }

  /** Appends an event to the message's outbox and resolves with its sequence number. */
  async push(messageId: string, pending: PendingEvent): Promise<number> {
    const sequenceKey = `${this.options.prefix}:callback-sequence:${messageId}`;
    const json = JSON.stringify(pending);
    return PUSH.run(
      this.redis,
      [this.key(messageId), sequenceKey, this.indexKey],
      [this.options.retentionSeconds, json, this.now(), messageId],
    );
  }

  /**
   * Messages whose outbox has not moved for `olderThanMs` (at most `limit`), oldest first. A
   * producer that died between pushing an event and adding its job, or a job that died between
   * removing an event and adding its successor, leaves such an outbox with no job to work on it.
   */
  async stale(olderThanMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.indexKey, 0, this.now() - olderThanMs, 'LIMIT', 0, limit);
  }

  /** Notes that a stale outbox was looked after, so it is not picked again at once; false if empty. */
  async touch(messageId: string): Promise<boolean> {
    if ((await this.redis.llen(this.key(messageId))) > 0) {
      await this.redis.zadd(this.indexKey, 'XX', this.now(), messageId);
      return true;
    }
    // Emptied, or expired with its retention: nothing left to deliver.
    await this.redis.zrem(this.indexKey, messageId);
    return false;
  }

  /**
   * The message's next event to deliver, if any. Rejects with `CorruptRecordError` when the head
   * is not an event as `push` writes it (with a status outside `CALLBACK_STATUSES`, say): sent
   * on, it would tell the receiver something the gateway never says.
   */
  async head(messageId: string): Promise<OutboxEntry | undefined> {
    const key = this.key(messageId);
    const raw = await this.redis.lindex(key, 0);
    if (raw === null) return undefined;
    const entry = parseOutboxEntry(messageId, raw);
    if (!entry) throw new CorruptRecordError(key, 'head', raw);
    return entry;
  }

  /** Removes a delivered (or given up) head; resolves with how many events still wait. */
  async remove(messageId: string, entry: OutboxEntry): Promise<number> {
    return REMOVE.run(this.redis, [this.key(messageId), this.indexKey], [entry.raw, this.now(), messageId]);
  }
}

/** An entry as `push` stores it (`sequence:json`) read back, or undefined when it is not one. */
export function parseOutboxEntry(messageId: string, raw: string): OutboxEntry | undefined {
  const separator = raw.indexOf(':');
  const sequence = Number(raw.slice(0, separator));
  const pending = jsonOrUndefined(raw.slice(separator + 1));
  if (!Number.isInteger(sequence) || !isPendingEvent(pending)) return undefined;
  const event: CallbackEvent = {
    id: `${messageId}:${sequence}`,
    sequence,
    messageId,
    ...(pending.reference !== undefined && { reference: pending.reference }),
    status: pending.status,
    ...(pending.code !== undefined && { code: pending.code }),
    at: new Date(pending.at).toISOString(),
  };
  return { raw, pending, event };
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isPendingEvent(value: unknown): value is PendingEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event: { readonly [field in keyof PendingEvent]?: unknown } = value;
  return (
    typeof event.client === 'string' &&
    typeof event.url === 'string' &&
    isCallbackStatus(event.status) &&
    (event.reference === undefined || typeof event.reference === 'string') &&
    (event.code === undefined || typeof event.code === 'number') &&
    typeof event.at === 'number'
  );
}
