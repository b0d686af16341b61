import { type RedisRefusal, redisRefusalOf } from '@sms/queue';

export interface RedisWriteHealthOptions {
  /** One small write: resolves with Redis' refusal, or undefined once Redis takes writes. */
  readonly probe: () => Promise<RedisRefusal | undefined>;
  /** Redis began refusing writes: stop taking jobs. Called once per episode. */
  readonly onRefusing: (refusal: RedisRefusal) => void;
  /** Redis takes writes again after `refusedForMs`: take jobs again. Called once per episode. */
  readonly onRestored: (refusedForMs: number) => void;
  /** Probes back off from `minMs` to `maxMs` while Redis refuses. */
  readonly backoff: { readonly minMs: number; readonly maxMs: number };
  readonly now?: () => number;
}

/** The wait for Redis ended because the worker is stopping, not because Redis takes writes. */
export class StoppedWaitingError extends Error {
  constructor() {
    super('stopped while waiting for Redis to take writes');
    this.name = this.constructor.name;
  }
}

/**
 * Whether Redis takes this worker's writes, shared by all its jobs. A job whose write Redis
 * refuses (out of memory, a full disk, a replica) reports it here and waits for `untilWritable`:
 * the refusal is Redis' state, not the message's, so it must cost the message no attempt. One
 * probe loop with backoff, not each job, finds out when Redis takes writes again, and the
 * callbacks pause and resume the worker once per episode.
 */
export class RedisWriteHealth {
  private readonly now: () => number;
  private refusal: RedisRefusal | undefined;
  private since = 0;
  private waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: RedisWriteHealthOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Why Redis refuses writes now, or undefined while it takes them. */
  get refusing(): RedisRefusal | undefined {
    return this.refusal;
  }

  /**
   * Takes note of an error from Redis: returns true when it is a refusal (and the episode starts,
   * if it had not), false for any other error, which the caller handles as before.
   */
  report(error: unknown): boolean {
    const refusal = redisRefusalOf(error);
    if (refusal === undefined) return false;
    if (this.refusal === undefined && !this.stopped) {
      this.refusal = refusal;
      this.since = this.now();
      this.options.onRefusing(refusal);
      this.schedule(this.options.backoff.minMs);
    }
    return true;
  }

  /** Resolves at once while Redis takes writes, else once it does; rejects when stopped. */
  untilWritable(): Promise<void> {
    if (this.stopped) return Promise.reject(new StoppedWaitingError());
    if (this.refusal === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Ends the probes; whoever waits is told to stop (`StoppedWaitingError`). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const waiter of this.waiters.splice(0)) waiter.reject(new StoppedWaitingError());
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.probe(delayMs), delayMs);
    this.timer.unref();
  }

  private async probe(delayMs: number): Promise<void> {
    if (this.stopped) return;
    const refusal = await this.options
      .probe()
      .catch((error: unknown) => redisRefusalOf(error) ?? this.refusal);
    if (this.stopped) return;
    if (refusal !== undefined) {
      this.schedule(Math.min(delayMs * 2, this.options.backoff.maxMs));
      return;
    }
    this.refusal = undefined;
    this.options.onRestored(this.now() - this.since);
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
  }
}
