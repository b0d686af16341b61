import {
  CANCELABLE_STATUSES,
  FINAL_STATUSES,
  isFinalStatus,
  isMessageStatus,
  isOneOf,
  type MessageStatus,
} from '@sms/contracts';
import { checkedField, RedisScript } from '@sms/queue';
import type { Cluster, Redis } from 'ioredis';
import { archiveHandOffKeys, archiveHandOffLua } from './archive-hand-off';
import { parseStatusRecord } from './parse-status-record';
import type { RecordIdentity } from './record-identity';
import type { AttemptRecord, RecordWithHistory, StatusRecord } from './status-record';

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

/**
 * The BullMQ lock of the job a worker writes for. A worker whose lock lapsed and was taken by
 * another worker (it froze, or lost Redis, for longer than the lock) must write nothing for that
 * job: the other worker owns the message now.
 */
export interface JobLock {
  /** The lock's key in Redis (`<queue key>:<job id>:lock`). */
  readonly key: string;
  /** The token the worker took the job with. */
  readonly token: string;
  /**
   * Also write while no worker holds the lock (it lapsed and nobody took the job yet): right
   * for an outcome Kaarai gave, which must not be lost. @defaultValue false
   */
  readonly orUnheld?: boolean;
}

/**
 * A record to write in the same round trip as another step (the worker's admission to send),
 * unless the record already holds one of `unlessStatusIn`, or the job's lock is not `lock`.
 */
export interface StatusClaim {
  readonly key: string;
  readonly fields: Readonly<Record<string, string | number>>;
  readonly ttlSeconds: number;
  readonly unlessStatusIn: readonly string[];
  /**
   * A status that says an earlier admitted call left no outcome (`sending`): admission then
   * answers `unsure` and writes nothing. Set for `at-most-once` messages, which must not be sent
   * again once a call may have reached Kaarai.
   */
  readonly unsureIf?: string;
  readonly lock?: JobLock;
}

/**
 * What became of a write: done; refused because the message is already final (a final status
 * is never rewritten); or refused because another worker holds the job's lock.
 */
const WRITE_OUTCOMES = ['written', 'final', 'lost'] as const;
export type WriteOutcome = (typeof WRITE_OUTCOMES)[number];

export interface WriteOptions {
  /** Write only while this worker holds the job (`JobLock`). */
  readonly lock?: JobLock;
  /**
   * Take a message back out of a final state: only a replay from the dead-letter queue does,
   * as an operator's explicit act. @defaultValue false
   */
  readonly reopen?: boolean;
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

/**
 * The attempts live in the record itself, one JSON object per line of this field: a list key of
 * their own cost each record about 300 bytes more in Redis (per-key overhead and a second expiry).
 * Records written before kept them in the list `<prefix>:attempts:<id>`, which is still read.
 */
export const HISTORY_FIELD = 'history';

/** A record's attempts, oldest first, from the older list form and the record's own field. */
export function parseHistory(listed: readonly string[], history: string | null | undefined): AttemptRecord[] {
  const lines = history ? [...listed, ...history.split('\n')] : listed;
  return lines.map((entry) => JSON.parse(entry) as AttemptRecord);
}
const CANCELABLE_LIST: readonly string[] = [...CANCELABLE_STATUSES];

// Fields written when given, besides status, attempts and updatedAt.
const OPTIONAL_FIELDS = [
  'lastCode',
  'lastMessage',
  'client',
  'to',
  'createdAt',
  'priority',
  'delivery',
  'reference',
  'sendAt',
  'encoding',
  'segments',
] as const satisfies readonly (keyof StatusUpdate)[];

/**
 * A counter bumped, and keys deleted, in the same script as a status write (`writeCounted`),
 * whatever the write's outcome: bookkeeping of another part of the gateway that would otherwise
 * cost a script call of its own.
 */
export interface WriteCount {
  /** A hash whose `field` is incremented by 1; the hash then expires after `expiryMs`. */
  readonly key: string;
  readonly field: string;
  readonly expiryMs: number;
  /** Deleted with it; `writeCounted` says how many of them existed. */
  readonly deleteKeys: readonly string[];
}

// The rule that a final status is never rewritten lives here, in the write itself, so that no
// caller (a worker that froze past its lock, a redelivered job, a late reply) can break it.
// KEYS[1-5]: record, attempt history, then the archive stream's (`archiveHandOffKeys`).
// ARGV 1-6: retention s, attempt JSON or '', reopen (1 or 0), lock token, lock may be unheld
// (1 or 0), message id; the record's fields and values start at ARGV[firstField], `status` first.
function writeStatusLua(lockKey: string, firstField: number, reply: (outcome: string) => string): string {
  return `
local final = {${FINAL_LUA_SET}}
local lockKey = ${lockKey}
if lockKey then
  local holder = redis.call('GET', lockKey)
  if holder ~= ARGV[4] and (holder or ARGV[5] ~= '1') then return ${reply("'lost'")} end
end
if ARGV[3] ~= '1' then
  local current = redis.call('HGET', KEYS[1], 'status')
  if current and final[current] then return ${reply("'final'")} end
end
redis.call('HSET', KEYS[1], unpack(ARGV, ${firstField}))
if ARGV[2] ~= '' then
  local history = redis.call('HGET', KEYS[1], 'history')
  redis.call('HSET', KEYS[1], 'history', history and (history .. '\\n' .. ARGV[2]) or ARGV[2])
  -- A list of a record written before the history moved into the hash lives as long as it.
  redis.call('EXPIRE', KEYS[2], ARGV[1])
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
if final[ARGV[${firstField + 1}]] then
${archiveHandOffLua(3, 'ARGV[6]')}
end
return ${reply("'written'")}
`;
}

const FINAL_LUA_SET = [...FINAL_STATUSES].map((status) => `['${status}'] = true`).join(', ');

type WriteArgs = [
  retentionSeconds: number,
  attempt: string,
  reopen: 0 | 1,
  lockToken: string,
  lockMayBeUnheld: 0 | 1,
  id: string,
  ...fieldsAndValues: (string | number)[],
];

type ArchiveKeys = [stream: string, limit: string, overflow: string];

// KEYS: record, attempt history, the archive's three[, job lock]. ARGV: as writeStatusLua's,
// fields from ARGV[7].
const WRITE = new RedisScript<
  | [record: string, attempts: string, ...ArchiveKeys]
  | [record: string, attempts: string, ...ArchiveKeys, lock: string],
  WriteArgs,
  WriteOutcome
>({
  name: 'smsWriteStatus',
  isReply: isOneOf(WRITE_OUTCOMES),
  lua: writeStatusLua('KEYS[6]', 7, (outcome) => outcome),
});

type CountedReply = [outcome: WriteOutcome, deleted: number];

// KEYS: record, attempt history, the archive's three, counter, n keys to delete[, job lock].
// ARGV: as writeStatusLua's, then counter field, counter expiry ms, n, then the fields from ARGV[10].
const WRITE_COUNTED = new RedisScript<string[], [...WriteArgs], CountedReply>({
  name: 'smsWriteStatusCounted',
  isReply: (raw): raw is CountedReply =>
    Array.isArray(raw) && isOneOf(WRITE_OUTCOMES)(raw[0]) && Number.isInteger(raw[1]),
  lua: `
local n = tonumber(ARGV[9])
redis.call('HINCRBY', KEYS[6], ARGV[7], 1)
redis.call('PEXPIRE', KEYS[6], ARGV[8])
local deleted = 0
if n > 0 then deleted = redis.call('DEL', unpack(KEYS, 7, 6 + n)) end
${writeStatusLua('KEYS[7 + n]', 10, (outcome) => `{${outcome}, deleted}`)}`,
});

// The client's cancel, in the same order as every worker's admission (sending-gate.ts), which
// refuses final statuses: a record past canceling (a status not in the list, or an attempt made)
// is returned as it is; otherwise `canceled` is written, and no admission will pass after it.
// KEYS: record, the archive's three. ARGV: retention s, message id, n, n cancelable statuses,
// field, value, ...
const CANCEL = new RedisScript<
  [record: string, ...ArchiveKeys],
  [retentionSeconds: number, id: string, count: number, ...statusesThenFieldsAndValues: (string | number)[]],
  string | null
>({
  name: 'smsCancel',
  isReply: (raw): raw is string | null => raw === null || typeof raw === 'string',
  lua: `
local current = redis.call('HGET', KEYS[1], 'status')
local n = tonumber(ARGV[3])
if current then
  local cancelable = false
  for i = 4, 3 + n do
    if ARGV[i] == current then cancelable = true end
  end
  local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts')) or 0
  if not cancelable or attempts > 0 then return current end
end
redis.call('HSET', KEYS[1], unpack(ARGV, 4 + n))
redis.call('EXPIRE', KEYS[1], ARGV[1])
${archiveHandOffLua(2, 'ARGV[2]')}
return false
`,
});

/**
 * The status records that `GET /v1/sms/:id` reads. The worker writes one on every state change
 * of a message; each write renews the record's expiry, so a message in flight never loses its
 * record and a finished one disappears `retentionSeconds` after its final state.
 */
export class StatusStore {
  private readonly now: () => number;
  private readonly retentionSeconds: number;
  private readonly archiveKeys: ArchiveKeys;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly options: StatusStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.retentionSeconds = options.retentionSeconds ?? 604_800;
    this.archiveKeys = archiveHandOffKeys(options.prefix);
  }

  key(id: string): string {
    return `${this.options.prefix}:status:${id}`;
  }

  /** The key of the list of attempts of a record written before they moved into its `HISTORY_FIELD`. */
  attemptsKey(id: string): string {
    return `${this.options.prefix}:attempts:${id}`;
  }

  /**
   * Records a state change, and the attempt that caused it when there was one, atomically: one
   * script call, which costs the worker far less than a MULTI of four commands. Nothing is
   * written over a final status (unless `reopen`), nor for a job whose lock another worker holds.
   */
  async write(
    id: string,
    update: StatusUpdate,
    attempt?: AttemptRecord,
    options: WriteOptions = {},
  ): Promise<WriteOutcome> {
    const { lock } = options;
    const record = this.key(id);
    const attempts = this.attemptsKey(id);
    const keys: [string, string, ...ArchiveKeys] = [record, attempts, ...this.archiveKeys];
    return WRITE.run(this.redis, lock ? [...keys, lock.key] : keys, [
      ...this.writeArgs(id, attempt, options),
      ...Object.entries(this.fields(update)).flat(),
    ]);
  }

  /**
   * `write`, and in the same script call `count`'s counter and deletions, done whatever the
   * write's outcome. Resolves with the write's outcome and how many of `count.deleteKeys` existed.
   */
  async writeCounted(
    id: string,
    update: StatusUpdate,
    attempt: AttemptRecord | undefined,
    options: WriteOptions,
    count: WriteCount,
  ): Promise<{ outcome: WriteOutcome; deleted: number }> {
    const { lock } = options;
    const keys = [this.key(id), this.attemptsKey(id), ...this.archiveKeys, count.key, ...count.deleteKeys];
    if (lock) keys.push(lock.key);
    const [outcome, deleted] = await WRITE_COUNTED.run(this.redis, keys, [
      ...this.writeArgs(id, attempt, options),
      count.field,
      count.expiryMs,
      count.deleteKeys.length,
      ...Object.entries(this.fields(update)).flat(),
    ] as WriteArgs);
    return { outcome, deleted };
  }

  private writeArgs(id: string, attempt: AttemptRecord | undefined, options: WriteOptions): WriteArgs {
    return [
      this.retentionSeconds,
      attempt ? JSON.stringify(attempt) : '',
      options.reopen ? 1 : 0,
      options.lock?.token ?? '',
      options.lock?.orUnheld ? 1 : 0,
      id,
    ];
  }

  /**
   * The state change `update` as a claim: written unless the message is already final, or,
   * with `lock`, unless the worker no longer holds the job.
   */
  claimUnlessFinal(
    id: string,
    update: StatusUpdate,
    lock?: JobLock,
    options: { readonly unsureIf?: string } = {},
  ): StatusClaim {
    return {
      key: this.key(id),
      fields: this.fields(update),
      ttlSeconds: this.retentionSeconds,
      unlessStatusIn: FINAL_LIST,
      ...(options.unsureIf !== undefined && { unsureIf: options.unsureIf }),
      ...(lock && { lock }),
    };
  }

  /**
   * Records that the client canceled a message not yet tried: one whose record is absent, or in
   * `CANCELABLE_STATUSES` with no attempt made. One script, so that the worker's admission
   * (which refuses a final status, and writes `sending` when it admits) comes wholly before it,
   * and then this refuses, or wholly after, and then the message is never sent. Rejects with
   * `CorruptRecordError`, having written nothing, when the recorded status is none the gateway
   * writes.
   */
  async cancel(id: string, identity: RecordIdentity): Promise<Cancellation> {
    // No attempt was made, or the script refuses: `attempts` stays 0 either way.
    const fields = this.fields({ status: 'canceled', attempts: 0, ...identity });
    const key = this.key(id);
    const refused = await CANCEL.run(
      this.redis,
      [key, ...this.archiveKeys],
      [
        this.retentionSeconds,
        id,
        CANCELABLE_LIST.length,
        ...CANCELABLE_LIST,
        ...Object.entries(fields).flat(),
      ],
    );
    if (refused === null) return { canceled: true };
    return { canceled: false, status: checkedField(key, 'status', refused, isMessageStatus) };
  }

  // `status` first: the write script reads it at that place to tell a final status.
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
    const [listed, history] = await Promise.all([
      this.redis.lrange(this.attemptsKey(id), 0, -1),
      this.redis.hget(this.key(id), HISTORY_FIELD),
    ]);
    return parseHistory(listed, history);
  }

  /**
   * Puts back a message's history that Redis let go (the archive kept it), so that writes after
   * it, a replay's, add to it instead of starting it anew. Writes nothing when Redis has a
   * history of the message already. Resolves with the number of attempts put back.
   */
  async restoreAttempts(id: string, attempts: readonly AttemptRecord[]): Promise<number> {
    if (attempts.length === 0) return 0;
    return RESTORE_ATTEMPTS.run(
      this.redis,
      [this.attemptsKey(id)],
      [this.retentionSeconds, ...attempts.map((attempt) => JSON.stringify(attempt))],
    );
  }

  /**
   * The record, or undefined when there is none (or it has no `client`). Rejects with
   * `CorruptRecordError` when its `status`, `priority` or `encoding` is none the gateway writes:
   * the message's state is then unknown, and guessing one could send it again or hide it.
   */
  async read(id: string): Promise<StatusRecord | undefined> {
    const key = this.key(id);
    return parseStatusRecord(key, id, await this.redis.hgetall(key));
  }

  /**
   * The records and histories of many messages, in one round trip (one script: every key is in
   * the prefix's slot), for the archiver. A record that is absent is `undefined`; so is one that
   * `read` would refuse as corrupt, or whose history is not JSON, with the error to report.
   */
  async readWithHistory(ids: readonly string[]): Promise<Map<string, RecordWithHistory>> {
    const keys = ids.flatMap((id) => [this.key(id), this.attemptsKey(id)]);
    const replies = ids.length === 0 ? [] : await READ_WITH_HISTORY.run(this.redis, keys, []);
    const result = new Map<string, RecordWithHistory>();
    ids.forEach((id, i) => {
      const raw = fieldsOf(replies[2 * i] ?? []);
      try {
        const history = parseHistory(replies[2 * i + 1] ?? [], raw[HISTORY_FIELD]);
        result.set(id, { record: parseStatusRecord(this.key(id), id, raw), history });
      } catch (error) {
        result.set(id, { record: undefined, history: [], error });
      }
    });
    return result;
  }

  /**
   * True when the message reached a final state; a redelivered job must not send it again.
   * Rejects with `CorruptRecordError` when the status is none the gateway writes.
   */
  async isFinal(id: string): Promise<boolean> {
    const key = this.key(id);
    const status = await this.redis.hget(key, 'status');
    return status !== null && isFinalStatus(checkedField(key, 'status', status, isMessageStatus));
  }
}

// KEYS: each record's hash and its list of attempts, in pairs. One command for a whole batch,
// where a pipeline sent two a record: the archiver spent more of its time in ioredis' handling of
// each command than in anything else (BENCHMARKS.md, History archive).
const READ_WITH_HISTORY = new RedisScript<string[], [], string[][]>({
  name: 'smsReadWithHistory',
  isReply: (raw): raw is string[][] => Array.isArray(raw) && raw.every(Array.isArray),
  lua: `
local out = {}
for i = 1, #KEYS, 2 do
  out[i] = redis.call('HGETALL', KEYS[i])
  out[i + 1] = redis.call('LRANGE', KEYS[i + 1], 0, -1)
end
return out
`,
});

/**
 * A hash as HGETALL inside a script answers it, field after value, as the object ioredis makes of
 * HGETALL's: a field named like an inherited property (`__proto__`, `constructor`) is defined as
 * an own property, never assigned through to the prototype.
 */
function fieldsOf(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const [name, value] = [flat[i]!, flat[i + 1]!];
    if (name in fields)
      Object.defineProperty(fields, name, { value, configurable: true, enumerable: true, writable: true });
    else fields[name] = value;
  }
  return fields;
}

// KEYS: attempt history. ARGV: retention s, the attempts as JSON, oldest first. One script, so
// that two replays at once (or a worker's write) never interleave with the restored list.
const RESTORE_ATTEMPTS = new RedisScript<
  [attempts: string],
  [retentionSeconds: number, ...attempts: string[]],
  number
>({
  name: 'smsRestoreAttempts',
  isReply: (raw): raw is number => typeof raw === 'number',
  lua: `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('RPUSH', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIRE', KEYS[1], ARGV[1])
return #ARGV - 1
`,
});
