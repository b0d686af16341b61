import {
  CANCELABLE_STATUSES,
  FINAL_STATUSES,
  isFinalStatus,
  type MessageStatus,
  type SmsEncoding,
  type SmsPriority,
} from '@sms/contracts';
import type { Cluster, Redis } from 'ioredis';
import type { RecordIdentity } from './record-identity';

/** One message's recorded state, as stored. Times are milliseconds since the epoch. */
export interface StatusRecord extends RecordIdentity {
  readonly id: string;
  readonly status: MessageStatus;
  readonly attempts: number;
  readonly lastCode?: number;
  readonly lastMessage?: string;
  readonly updatedAt: number;
}

/**
 * A change of state. The identity (`client`, `to`, `createdAt` at least) is needed on the first
 * write of a message; later writes may leave it out.
 */
export interface StatusUpdate extends Partial<RecordIdentity> {
  readonly status: MessageStatus;
  readonly attempts: number;
  readonly lastCode?: number;
  readonly lastMessage?: string;
}

/** The outcome of `cancel`: done, or refused with the status that was too far along. */
export type Cancellation =
  | { readonly canceled: true }
  | { readonly canceled: false; readonly status: MessageStatus };

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
const CANCELABLE_LIST: readonly string[] = [...CANCELABLE_STATUSES];

// Fields written when given, besides status, attempts and updatedAt.
const OPTIONAL_FIELDS = [
  'lastCode',
  'lastMessage',
  'client',
  'to',
  'createdAt',
  'priority',
  'reference',
  'sendAt',
  'encoding',
  'segments',
] as const satisfies readonly (keyof StatusUpdate)[];

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

// The client's cancel, in the same order as every worker's admission (sending-gate.ts), which
// refuses final statuses: a record past canceling (a status not in the list, or an attempt made)
// is returned as it is; otherwise `canceled` is written, and no admission will pass after it.
// KEYS: record. ARGV: retention s, n, n cancelable statuses, field, value, ...
const CANCEL_SCRIPT = `
local current = redis.call('HGET', KEYS[1], 'status')
local n = tonumber(ARGV[2])
if current then
  local cancelable = false
  for i = 3, 2 + n do
    if ARGV[i] == current then cancelable = true end
  end
  local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts')) or 0
  if not cancelable or attempts > 0 then return current end
end
redis.call('HSET', KEYS[1], unpack(ARGV, 3 + n))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return false
`;

interface WriteCommand {
  smsWriteStatus(record: string, history: string, ...args: (string | number)[]): Promise<number>;
  smsCancel(record: string, ...args: (string | number)[]): Promise<string | null>;
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
    redis.defineCommand('smsCancel', { numberOfKeys: 1, lua: CANCEL_SCRIPT });
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

  /**
   * Records that the client canceled a message not yet tried: one whose record is absent, or in
   * `CANCELABLE_STATUSES` with no attempt made. One script, so that the worker's admission
   * (which refuses a final status, and writes `sending` when it admits) comes wholly before it,
   * and then this refuses, or wholly after, and then the message is never sent.
   */
  async cancel(id: string, identity: RecordIdentity): Promise<Cancellation> {
    const args: (string | number)[] = [this.retentionSeconds, CANCELABLE_LIST.length, ...CANCELABLE_LIST];
    // No attempt was made, or the script refuses: `attempts` stays 0 either way.
    const fields = this.fields({ status: 'canceled', attempts: 0, ...identity });
    for (const [field, value] of Object.entries(fields)) args.push(field, value);
    const refused = await (this.redis as unknown as WriteCommand).smsCancel(this.key(id), ...args);
    return refused === null ? { canceled: true } : { canceled: false, status: refused as MessageStatus };
  }

  private fields(update: StatusUpdate): Record<string, string | number> {
    const fields: Record<string, string | number> = {
      status: update.status,
      attempts: update.attempts,
      updatedAt: this.now(),
    };
    for (const name of OPTIONAL_FIELDS) {
      const value = update[name];
      if (value !== undefined) fields[name] = value;
    }
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
      ...(raw.priority !== undefined && { priority: raw.priority as SmsPriority }),
      ...(raw.reference !== undefined && { reference: raw.reference }),
      ...(raw.sendAt !== undefined && { sendAt: Number(raw.sendAt) }),
      ...(raw.encoding !== undefined && { encoding: raw.encoding as SmsEncoding }),
      ...(raw.segments !== undefined && { segments: Number(raw.segments) }),
    };
  }

  /** True when the message reached a final state; a redelivered job must not send it again. */
  async isFinal(id: string): Promise<boolean> {
    const status = (await this.redis.hget(this.key(id), 'status')) as MessageStatus | null;
    return status !== null && isFinalStatus(status);
  }
}
