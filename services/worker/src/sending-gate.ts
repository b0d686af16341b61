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

export type Admission = { readonly kind: 'send' | 'probe' } | { readonly kind: 'wait'; readonly ms: number };

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

  /** Asks to call Kaarai: go ahead, go ahead as the one probe, or wait this long. */
  async admit(): Promise<Admission> {
    const gate = await this.state();
    if (gate.state === 'open') return { kind: 'send' };
    const now = this.now();
    if (now < gate.until) return { kind: 'wait', ms: gate.until - now };
    const won = await this.redis.set(this.probeKey, String(now), 'PX', this.settings.probeLeaseMs, 'NX');
    return won ? { kind: 'probe' } : { kind: 'wait', ms: Math.min(this.settings.probeLeaseMs, 1_000) };
  }

  /** Kaarai answered (accepted or refused the message): it works, so the gate opens. */
  async recordAnswer(): Promise<void> {
    const bucket = this.bucketKey(this.now());
    const [, , opened] = (await this.redis
      .multi()
      .hincrby(bucket, 'ok', 1)
      .pexpire(bucket, this.settings.circuit.windowMs + 2_000)
      .del(this.gateKey, this.probeKey)
      .exec()) as [unknown, unknown, [Error | null, number]];
    // Forget the failures that opened the circuit, or the next one would open it again at once.
    if (opened?.[1] && opened[1] > 0) await this.redis.del(...this.windowKeys());
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
