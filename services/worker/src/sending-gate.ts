import { isIntegerReply, RedisScript } from '@sms/queue';
import type { StatusClaim, WriteCount } from '@sms/status-store';
import type { Cluster, Redis } from 'ioredis';

/** Whether workers may call Kaarai, shared by every replica through Redis. */
export type GateState =
  | { readonly state: 'open' }
  | {
      readonly state: 'held' | 'circuit_open';
      /** Kaarai's code that closed the gate (0 when no answer arrived). */
      readonly code: number;
      readonly reason: string;
      readonly since: number;
      /** Until then nothing is sent; after it, one probe at a time. */
      readonly until: number;
    };

export type Admission =
  | { readonly kind: 'send' | 'probe' }
  | { readonly kind: 'wait'; readonly ms: number }
  /** The claimed record already held one of the statuses that refuse it. */
  | { readonly kind: 'refused'; readonly status: string }
  /** Another worker holds the job's lock: this one must leave the job alone. */
  | { readonly kind: 'lost' }
  /**
   * The claimed record is in the claim's `unsureIf` status: an earlier admitted call may have
   * reached Kaarai and recorded nothing. Nothing was written.
   */
  | { readonly kind: 'unsure' };

export interface GateSettings {
  readonly prefix: string;
  /** After a configuration fault, how long to wait before each probe, in ms. */
  readonly holdProbeIntervalMs: number;
  readonly circuit: {
    /** Share of failures in the window that opens the circuit. */
    readonly failureRatio: number;
    /** Calls the window must hold before it can open. */
    readonly minCalls: number;
    /** Window of recent calls, in ms, counted in one-second buckets. */
    readonly windowMs: number;
    /** How long an open circuit waits before a probe, in ms. */
    readonly openMs: number;
  };
  /** How long a probe may take before another worker may probe instead, in ms. */
  readonly probeLeaseMs: number;
  readonly now?: () => number;
}

// A held gate stays until a probe succeeds, however long that takes; the TTL only stops a
// forgotten key from living for ever.
const GATE_TTL_MS = 7 * 24 * 3_600_000;

/** What admission answers: the kind, and the wait in ms or the refusing status. */
type AdmitReply = readonly [kind: string, detail?: string | number];

// Admission in one round trip, as it runs before every call to Kaarai: do nothing for a job
// whose lock another worker holds, refuse a claimed record in a refusing status, answer `unsure`
// for a claimed record in the status that says an earlier admitted call left no outcome (an
// at-most-once message must not be sent again), wait while the gate is closed, let one probe
// through when its wait is over, and write the claimed record when admitted. The lock check and
// the status check are one script with the write of `sending`: two workers cannot both pass.
// KEYS: gate, probe lease[, claimed record[, job lock]].
// ARGV: now, lease ms[, ttl s, lock token, unsure status or '', n, n statuses, fields...]
const ADMIT = new RedisScript<string[], (string | number)[], AdmitReply>({
  name: 'smsAdmit',
  isReply: (raw): raw is AdmitReply => Array.isArray(raw) && typeof raw[0] === 'string',
  lua: `
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local refusing = tonumber(ARGV[6] or '0')
if KEYS[4] and redis.call('GET', KEYS[4]) ~= ARGV[4] then return {'lost'} end
if KEYS[3] then
  local current = redis.call('HGET', KEYS[3], 'status')
  if current then
    for i = 7, 6 + refusing do
      if ARGV[i] == current then return {'refused', current} end
    end
    if ARGV[5] ~= '' and ARGV[5] == current then return {'unsure', current} end
  end
end
local kind = 'send'
local gate = redis.call('HMGET', KEYS[1], 'state', 'until')
if gate[1] == 'held' or gate[1] == 'circuit_open' then
  local untilMs = tonumber(gate[2]) or 0
  if now < untilMs then return {'wait', untilMs - now} end
  if not redis.call('SET', KEYS[2], ARGV[1], 'PX', lease, 'NX') then
    return {'wait', math.min(lease, 1000)}
  end
  kind = 'probe'
end
if KEYS[3] then
  redis.call('HSET', KEYS[3], unpack(ARGV, 7 + refusing))
  redis.call('EXPIRE', KEYS[3], ARGV[3])
end
return {kind}
`,
});

// KEYS: this second's bucket, gate, probe lease. ARGV: bucket expiry ms. Returns 1 when the
// gate was closed.
const RECORD_ANSWER = new RedisScript<
  [bucket: string, gate: string, probe: string],
  [bucketExpiryMs: number],
  number
>({
  name: 'smsRecordAnswer',
  isReply: isIntegerReply,
  lua: `
redis.call('HINCRBY', KEYS[1], 'ok', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return redis.call('DEL', KEYS[2], KEYS[3])
`,
});

/**
 * The gate in front of Kaarai for every worker replica: it closes when Kaarai reports a
 * configuration fault (held) or when most recent calls fail (circuit open), lets one probe
 * through when its wait is over, and opens again when a call succeeds. While it is closed,
 * messages wait in the queue with their attempts untouched.
 */
export class SendingGate {
  private readonly now: () => number;
  private readonly gateKey: string;
  private readonly probeKey: string;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly settings: GateSettings,
  ) {
    this.now = settings.now ?? Date.now;
    this.gateKey = `${settings.prefix}:gate`;
    this.probeKey = `${settings.prefix}:gate:probe`;
  }

  async state(): Promise<GateState> {
    const raw = await this.redis.hgetall(this.gateKey);
    if (raw.state !== 'held' && raw.state !== 'circuit_open') return { state: 'open' };
    return {
      state: raw.state,
      code: Number(raw.code ?? 0),
      reason: raw.reason ?? '',
      since: Number(raw.since ?? 0),
      until: Number(raw.until ?? 0),
    };
  }

  /**
   * Asks to call Kaarai: go ahead, go ahead as the one probe, or wait this long. With a claim,
   * the same round trip refuses the call when the claimed record is in a refusing status or the
   * claim's job lock is another worker's, answers `unsure` when it is in the claim's `unsureIf`
   * status, and writes the record when the call is admitted.
   */
  async admit(claim?: StatusClaim): Promise<Admission> {
    const keys = [this.gateKey, this.probeKey];
    const args: (string | number)[] = [this.now(), this.settings.probeLeaseMs];
    if (claim) {
      keys.push(claim.key);
      if (claim.lock) keys.push(claim.lock.key);
      args.push(
        claim.ttlSeconds,
        claim.lock?.token ?? '',
        claim.unsureIf ?? '',
        claim.unlessStatusIn.length,
        ...claim.unlessStatusIn,
      );
      for (const [field, value] of Object.entries(claim.fields)) args.push(field, value);
    }
    const [kind, detail] = await ADMIT.run(this.redis, keys, args);
    if (kind === 'wait') return { kind, ms: Number(detail) };
    if (kind === 'refused') return { kind, status: String(detail) };
    if (kind === 'lost' || kind === 'unsure') return { kind };
    return { kind: kind === 'probe' ? 'probe' : 'send' };
  }

  /** Kaarai answered (accepted or refused the message): it works, so the gate opens. */
  async recordAnswer(): Promise<void> {
    const { key, expiryMs, deleteKeys } = this.answerCount();
    const opened = await RECORD_ANSWER.run(this.redis, [key, ...deleteKeys] as [string, string, string], [
      expiryMs,
    ]);
    await this.answerRecorded(opened);
  }

  /**
   * What `recordAnswer` writes, for a caller to write it in a script of its own (a status
   * write's, `StatusStore.writeCounted`) and then call `answerRecorded`: one call to Redis, not two.
   */
  answerCount(): WriteCount {
    return {
      key: this.bucketKey(this.now()),
      field: 'ok',
      expiryMs: this.settings.circuit.windowMs + 2_000,
      deleteKeys: [this.gateKey, this.probeKey],
    };
  }

  /** An answer was counted, and `deleted` of the gate's keys were there: the gate was closed. */
  async answerRecorded(deleted: number): Promise<void> {
    // Forget the failures that opened the circuit, or the next one would open it again at once.
    if (deleted > 0) await this.redis.del(...this.windowKeys());
  }

  /** Kaarai reports a configuration fault. Returns true when this closed an open gate. */
  async recordHold(code: number, reason: string): Promise<boolean> {
    return this.close('held', code, reason, this.settings.holdProbeIntervalMs);
  }

  /**
   * A call failed transiently (5030, timeout, network). Returns true when the gate is now
   * closed: the circuit opened (or a probe failed), so the message should wait, not use up an
   * attempt.
   */
  async recordFailure(code: number, reason: string, wasProbe: boolean): Promise<boolean> {
    const bucket = this.bucketKey(this.now());
    await this.redis
      .multi()
      .hincrby(bucket, 'fail', 1)
      .pexpire(bucket, this.settings.circuit.windowMs + 2_000)
      .exec();
    const { openMs, failureRatio, minCalls } = this.settings.circuit;
    if (wasProbe) {
      await this.close('circuit_open', code, `probe failed: ${reason}`, openMs);
      return true;
    }
    const current = await this.state();
    if (current.state !== 'open') return true;
    const { ok, fail } = await this.windowCounts();
    if (ok + fail < minCalls || fail / (ok + fail) < failureRatio) return false;
    await this.close(
      'circuit_open',
      code,
      `${fail} of the last ${ok + fail} calls failed: ${reason}`,
      openMs,
    );
    return true;
  }

  private async close(state: 'held' | 'circuit_open', code: number, reason: string, waitMs: number) {
    const now = this.now();
    const [[, wasOpen]] = (await this.redis
      .multi()
      .exists(this.gateKey)
      .hset(this.gateKey, { state, code, reason: reason.slice(0, 300), since: now, until: now + waitMs })
      .pexpire(this.gateKey, GATE_TTL_MS)
      .del(this.probeKey)
      .exec()) as [[Error | null, number]];
    return wasOpen === 0;
  }

  private async windowCounts(): Promise<{ ok: number; fail: number }> {
    const pipeline = this.redis.pipeline();
    for (const key of this.windowKeys()) pipeline.hmget(key, 'ok', 'fail');
    let ok = 0;
    let fail = 0;
    for (const [, counts] of (await pipeline.exec()) ?? []) {
      const [okCount, failCount] = (counts as (string | null)[]) ?? [];
      ok += Number(okCount ?? 0);
      fail += Number(failCount ?? 0);
    }
    return { ok, fail };
  }

  private windowKeys(): string[] {
    const seconds = Math.max(1, Math.ceil(this.settings.circuit.windowMs / 1_000));
    const now = this.now();
    return Array.from({ length: seconds }, (_, i) => this.bucketKey(now - i * 1_000));
  }

  private bucketKey(at: number): string {
    return `${this.settings.prefix}:circuit:${Math.floor(at / 1_000)}`;
  }
}
