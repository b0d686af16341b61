import { isFinalStatus, type MessageStatus } from '@sms/contracts';
import type { Cluster, Redis } from 'ioredis';

/** One message's recorded state, as stored. Times are milliseconds since the epoch. */
export interface StatusRecord {
  readonly id: string;
  readonly status: MessageStatus;
  readonly client: string;
  /** Receiver, already masked: status records never hold the full number. */
  readonly to: string;
  readonly attempts: number;
  readonly lastCode?: number;
  readonly lastMessage?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface StatusUpdate {
  readonly status: MessageStatus;
  readonly attempts: number;
  readonly lastCode?: number;
  readonly lastMessage?: string;
  /** Needed on the first write of a message; later writes may leave them out. */
  readonly client?: string;
  readonly to?: string;
  readonly createdAt?: number;
}

/** One call to Kaarai, kept in the message's history (for the dead-letter tools). */
export interface AttemptRecord {
  readonly attempt: number;
  /** Kaarai's code; absent when no answer arrived. */
  readonly code?: number;
  /** What the gateway made of it: success, retry, dead_letter, hold, expired... */
  readonly outcome: string;
  readonly message: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

export interface StatusStoreOptions {
  /** Key prefix shared with the queues. */
  readonly prefix: string;
  /**
   * How long a record lives after its last write, in seconds, so Redis does not grow.
   * @defaultValue 604800 (7 days)
   */
  readonly retentionSeconds?: number;
  /** Clock, in milliseconds; replaced in tests only. */
  readonly now?: () => number;
}

/**
 * The status records that `GET /v1/sms/:id` reads. The worker writes one on every state change
 * of a message; each write renews the record's expiry, so a message in flight never loses its
 * record and a finished one disappears `retentionSeconds` after its final state.
 */
export class StatusStore {
  private readonly now: () => number;
  private readonly retentionSeconds: number;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly options: StatusStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.retentionSeconds = options.retentionSeconds ?? 604_800;
  }

  key(id: string): string {
    return `${this.options.prefix}:status:${id}`;
  }

  private attemptsKey(id: string): string {
    return `${this.options.prefix}:attempts:${id}`;
  }

  /** Records a state change, and the attempt that caused it when there was one, atomically. */
  async write(id: string, update: StatusUpdate, attempt?: AttemptRecord): Promise<void> {
    const fields: Record<string, string | number> = {
      status: update.status,
      attempts: update.attempts,
      updatedAt: this.now(),
    };
    if (update.lastCode !== undefined) fields.lastCode = update.lastCode;
    if (update.lastMessage !== undefined) fields.lastMessage = update.lastMessage;
    if (update.client !== undefined) fields.client = update.client;
    if (update.to !== undefined) fields.to = update.to;
    if (update.createdAt !== undefined) fields.createdAt = update.createdAt;
    const key = this.key(id);
    const multi = this.redis.multi().hset(key, fields).expire(key, this.retentionSeconds);
    if (attempt) {
      const attemptsKey = this.attemptsKey(id);
      multi.rpush(attemptsKey, JSON.stringify(attempt)).expire(attemptsKey, this.retentionSeconds);
    }
    await multi.exec();
  }

  /** Every recorded attempt of a message, oldest first. */
  async attempts(id: string): Promise<AttemptRecord[]> {
    const raw = await this.redis.lrange(this.attemptsKey(id), 0, -1);
    return raw.map((entry) => JSON.parse(entry) as AttemptRecord);
  }

  async read(id: string): Promise<StatusRecord | undefined> {
    const raw = await this.redis.hgetall(this.key(id));
    if (raw.status === undefined || raw.client === undefined) return undefined;
    return {
      id,
      status: raw.status as MessageStatus,
      client: raw.client,
      to: raw.to ?? '',
      attempts: Number(raw.attempts ?? 0),
      ...(raw.lastCode !== undefined && { lastCode: Number(raw.lastCode) }),
      ...(raw.lastMessage !== undefined && { lastMessage: raw.lastMessage }),
      createdAt: Number(raw.createdAt ?? raw.updatedAt),
      updatedAt: Number(raw.updatedAt),
    };
  }

  /** True when the message reached a final state; a redelivered job must not send it again. */
  async isFinal(id: string): Promise<boolean> {
    const status = (await this.redis.hget(this.key(id), 'status')) as MessageStatus | null;
    return status !== null && isFinalStatus(status);
  }
}
