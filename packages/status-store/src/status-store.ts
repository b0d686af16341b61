import { FINAL_STATUSES, isFinalStatus, type MessageStatus } from '@sms/contracts';
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

/**
 * A record to write in the same round trip as another step (the worker's admission to send),
 * unless the record already holds one of `unlessStatusIn`.
 */
export interface StatusClaim {
  readonly key: string;
  readonly fields: Readonly<Record<string, string | number>>;
  readonly ttlSeconds: number;
  readonly unlessStatusIn: readonly string[];
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

const FINAL_LIST: readonly string[] = [...FINAL_STATUSES];

// KEYS: record, attempt history. ARGV: retention s, attempt JSON or '', field, value, ...
const WRITE_SCRIPT = `
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('EXPIRE', KEYS[1], ARGV[1])
if ARGV[2] ~= '' then
  redis.call('RPUSH', KEYS[2], ARGV[2])
  redis.call('EXPIRE', KEYS[2], ARGV[1])
end
return 1
`;

interface WriteCommand {
  smsWriteStatus(record: string, history: string, ...args: (string | number)[]): Promise<number>;
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
    // ioredis runs it by its SHA and loads it again when Redis has forgotten it.
    redis.defineCommand('smsWriteStatus', { numberOfKeys: 2, lua: WRITE_SCRIPT });
  }

  key(id: string): string {
    return `${this.options.prefix}:status:${id}`;
  }

  private attemptsKey(id: string): string {
    return `${this.options.prefix}:attempts:${id}`;
  }

  /**
   * Records a state change, and the attempt that caused it when there was one, atomically: one
   * script call, which costs the worker far less than a MULTI of four commands.
   */
  async write(id: string, update: StatusUpdate, attempt?: AttemptRecord): Promise<void> {
    const args: (string | number)[] = [this.retentionSeconds, attempt ? JSON.stringify(attempt) : ''];
    for (const [field, value] of Object.entries(this.fields(update))) args.push(field, value);
    await (this.redis as unknown as WriteCommand).smsWriteStatus(this.key(id), this.attemptsKey(id), ...args);
  }

  /** The state change `update` as a claim: written unless the message is already final. */
  claimUnlessFinal(id: string, update: StatusUpdate): StatusClaim {
    return {
      key: this.key(id),
      fields: this.fields(update),
      ttlSeconds: this.retentionSeconds,
      unlessStatusIn: FINAL_LIST,
    };
  }

  private fields(update: StatusUpdate): Record<string, string | number> {
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
    return fields;
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
