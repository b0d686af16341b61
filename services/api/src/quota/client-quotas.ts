import type { ClientQuota } from '@sms/config';
import type { RedisConnection } from '@sms/queue';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimitState } from './quota-limit';
import { secondsToUtcMidnight, utcDay } from './utc-day';

export interface ClientQuotasOptions {
  /** The gateway's key prefix, `{QUEUE_PREFIX}`: the counters share the gateway's hash slot. */
  readonly prefix: string;
  /** Quotas of the clients that have their own (CLIENT_QUOTAS). */
  readonly quotas: ReadonlyMap<string, ClientQuota>;
  /** Quota of every other client (DEFAULT_CLIENT_QUOTA); `{}` is no limit. */
  readonly defaultQuota: ClientQuota;
  /** Clock, in milliseconds; replaced in tests only. */
  readonly now?: () => number;
}

/** Messages taken from a client's day: `giveBack` returns them when they were not accepted after all. */
export interface MessageReservation extends LimitState {
  giveBack(): Promise<void>;
}

interface Limiters {
  readonly second?: RateLimiterRedis;
  readonly day?: RateLimiterRedis;
}

/**
 * The clients' quotas, counted in Redis so that every API replica shares them
 * (rate-limiter-flexible's `RateLimiterRedis`: one Lua call per check, on a single server, a
 * Sentinel primary or a Cluster alike, since every key sits in the gateway's slot).
 *
 * - Requests per second: a fixed one-second window from the client's first request in it,
 *   `{prefix}:quota:second:<client>`.
 * - Messages per day: the UTC calendar day, `{prefix}:quota:day:<client>:<YYYY-MM-DD>`, expiring
 *   at the next midnight, so the quota renews at 00:00 UTC for every replica at once.
 *
 * Methods resolve with `undefined` for a client without that limit, and reject when Redis
 * cannot answer: the caller decides what a failed check means.
 */
export class ClientQuotas {
  private readonly limiters = new Map<string, Limiters>();
  private readonly now: () => number;
  /** False when no client has any limit: the routes then make no quota call at all. */
  readonly enforced: boolean;

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: ClientQuotasOptions,
  ) {
    this.now = options.now ?? Date.now;
    const quotas = [options.defaultQuota, ...options.quotas.values()];
    this.enforced = quotas.some((q) => q.requestsPerSecond !== undefined || q.messagesPerDay !== undefined);
  }

  /** Counts one request of `client` against its requests per second. */
  async takeRequest(client: string): Promise<LimitState | undefined> {
    const limiter = this.limitersOf(client).second;
    if (limiter === undefined) return undefined;
    const result = await consumed(limiter.consume(client, 1));
    return {
      limit: 'requests_per_second',
      quota: limiter.points,
      windowSeconds: 1,
      remaining: result.remainingPoints,
      resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
      allowed: result.allowed,
    };
  }

  /**
   * Takes `count` messages from `client`'s day. A refused take is given back at once, so that a
   * batch too large for what is left does not use the rest of the day up.
   */
  async takeMessages(client: string, count: number): Promise<MessageReservation | undefined> {
    const limiter = this.limitersOf(client).day;
    if (limiter === undefined) return undefined;
    const now = this.now();
    const key = `${client}:${utcDay(now)}`;
    const expiry = { customDuration: secondsToUtcMidnight(now) };
    const result = await consumed(limiter.consume(key, count, expiry));
    if (!result.allowed) await limiter.reward(key, count, expiry);
    const quota = limiter.points;
    let givenBack = false;
    return {
      limit: 'messages_per_day',
      quota,
      windowSeconds: 86_400,
      remaining: Math.max(0, quota - result.consumedPoints + (result.allowed ? 0 : count)),
      resetSeconds: expiry.customDuration,
      allowed: result.allowed,
      giveBack: async () => {
        if (!result.allowed || givenBack) return;
        givenBack = true;
        await limiter.reward(key, count, expiry);
      },
    };
  }

  private limitersOf(client: string): Limiters {
    let limiters = this.limiters.get(client);
    if (limiters === undefined) {
      const quota = this.options.quotas.get(client) ?? this.options.defaultQuota;
      const limiter = (name: string, points: number, duration: number) =>
        new RateLimiterRedis({
          storeClient: this.redis,
          keyPrefix: `${this.options.prefix}:quota:${name}`,
          points,
          duration,
          // Fail at once rather than wait for a connection that is down; the caller lets the
          // request through, and its enqueue answers 503 if Redis is really gone.
          rejectIfRedisNotReady: true,
        });
      limiters = {
        ...(quota.requestsPerSecond !== undefined && {
          second: limiter('second', quota.requestsPerSecond, 1),
        }),
        ...(quota.messagesPerDay !== undefined && { day: limiter('day', quota.messagesPerDay, 86_400) }),
      };
      this.limiters.set(client, limiters);
    }
    return limiters;
  }
}

interface Consumed {
  readonly allowed: boolean;
  readonly consumedPoints: number;
  readonly remainingPoints: number;
  readonly msBeforeNext: number;
}

// rate-limiter-flexible rejects with a RateLimiterRes when the limit is reached, and with an
// Error when the store fails: only the second is a failure.
async function consumed(work: Promise<RateLimiterRes>): Promise<Consumed> {
  try {
    return { allowed: true, ...fieldsOf(await work) };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { allowed: false, ...fieldsOf(error) };
    throw error;
  }
}

function fieldsOf(res: RateLimiterRes) {
  return {
    consumedPoints: res.consumedPoints,
    remainingPoints: res.remainingPoints,
    msBeforeNext: res.msBeforeNext,
  };
}
