import { createHash } from 'node:crypto';
import { isIntegerReply, RedisScript } from '@sms/queue';
import type { Cluster, Redis } from 'ioredis';

export interface ReferenceIndexOptions {
  /** Key prefix shared with the queues and the status records. */
  readonly prefix: string;
  /** How long status records are kept after their last change, in seconds (`STATUS_RETENTION_SECONDS`). */
  readonly retentionSeconds: number;
  /** Messages remembered per client and reference, the most recent ones. @defaultValue 100 */
  readonly maxPerReference?: number;
  /** Clock, in milliseconds; replaced in tests only. */
  readonly now?: () => number;
}

/** When a message was accepted and when it stops being worth sending, in ms since the epoch. */
export interface IndexedMessage {
  readonly acceptedAt: number;
  readonly expiresAt?: number;
}

// KEYS: index. ARGV: accepted at (the score), id, seconds to keep, most members kept.
// The key lives as long as its longest-lived message may have a record; never shortened.
const ADD = new RedisScript<
  [index: string],
  [acceptedAt: number, id: string, ttlSeconds: number, keep: number],
  number
>({
  name: 'smsIndexReference',
  isReply: isIntegerReply,
  lua: `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[4]) - 1)
if redis.call('TTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return 1
`,
});

/** The key of a client's reference's index. Hashed, so that any printable reference makes a short key of one shape. */
export function referenceIndexKey(prefix: string, client: string, reference: string): string {
  const digest = createHash('sha256').update(reference).digest('base64url');
  return `${prefix}:ref:${client}:${digest}`;
}

/**
 * The messages of each client by the client's own `reference`, for `GET /v1/sms?reference=`.
 * References need not be unique: each is a sorted set of message ids by acceptance time
 * (`<prefix>:ref:<client>:<sha256(reference)>`), holding the `maxPerReference` most recent. It
 * is kept until `retentionSeconds` after the expiry of its latest message, as long as that
 * message's status record can last if it ends by its expiry; ids whose record is gone are
 * skipped by the reader.
 */
export class ReferenceIndex {
  private readonly now: () => number;
  /** Messages remembered per client and reference (`maxPerReference`). */
  readonly keep: number;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly options: ReferenceIndexOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.keep = options.maxPerReference ?? 100;
  }

  key(client: string, reference: string): string {
    return referenceIndexKey(this.options.prefix, client, reference);
  }

  async add(client: string, reference: string, id: string, message: IndexedMessage): Promise<void> {
    const lastsUntil = message.expiresAt ?? message.acceptedAt;
    const ttl = Math.max(0, Math.ceil((lastsUntil - this.now()) / 1000)) + this.options.retentionSeconds;
    await ADD.run(this.redis, [this.key(client, reference)], [message.acceptedAt, id, ttl, this.keep]);
  }

  /** Ids of the client's messages with this reference, the most recently accepted first. */
  async ids(client: string, reference: string): Promise<string[]> {
    return this.redis.zrevrange(this.key(client, reference), 0, -1);
  }

  /** `ids` with the time each message was accepted, in ms since the epoch. */
  async accepted(client: string, reference: string): Promise<{ id: string; acceptedAt: number }[]> {
    const flat = await this.redis.zrevrange(this.key(client, reference), 0, -1, 'WITHSCORES');
    const entries: { id: string; acceptedAt: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      entries.push({ id: flat[i]!, acceptedAt: Number(flat[i + 1]) });
    return entries;
  }
}
