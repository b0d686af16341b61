import type { ApiMetrics } from '@sms/metrics';
import { withTimeout } from '@sms/queue';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../api-error';
import { type IdempotencyStore, idempotencyKeyOf } from '../idempotency';
import type { ClientQuotas, MessageReservation } from './client-quotas';
import type { LimitState } from './quota-limit';
import { addRateLimitHeaders } from './rate-limit-headers';

export interface QuotaGuardDeps {
  readonly quotas: ClientQuotas;
  /** Where a repeat's earlier claim is found: a repeat is answered, never refused for the day. */
  readonly idempotencyStore: Pick<IdempotencyStore, 'peek'>;
  readonly metrics: Pick<ApiMetrics, 'quotaRefusals' | 'quotaCheckFailures'>;
  readonly logger: Pick<Logger, 'warn'>;
  /** Longest wait for a check, in ms; past it the request goes on unchecked. */
  readonly timeoutMs: number;
}

/**
 * Gives back, in the background, messages taken for a request that did not accept them after
 * all; a failure is logged, and the messages stay counted.
 */
export type GiveBack = () => void;

/**
 * The quota checks of the send routes. Each check adds its limit to the RateLimit-Policy and
 * RateLimit headers of the answer; a refusal is a 429 (4290 or 4291) with Retry-After.
 * The routes read the client and request id that authentication left in `res.locals`.
 */
export interface QuotaGuard {
  /** Middleware for routes that take a batch: one request of the client's requests per second. */
  readonly request: readonly RequestHandler[];
  /**
   * Middleware for routes that take one message: one request, and one message of the client's
   * day, given back when the answer is not a 202 for a new message (invalid, a repeat, a 503).
   * A request whose Idempotency-Key names an earlier one takes nothing from the day.
   */
  readonly oneMessage: readonly RequestHandler[];
  /** The same for a route that has no Idempotency-Key, whose header it must not read. */
  readonly oneMessageWithoutKey: readonly RequestHandler[];
  /**
   * Takes a batch's `count` messages from the client's day (429, 4291, when they do not fit),
   * unless `idempotencyKey` names an earlier request, whose answer a repeat gets.
   */
  takeMessages(res: Response, count: number, idempotencyKey?: string): Promise<GiveBack>;
}

interface Locals {
  readonly client: string;
  readonly requestId: string;
}

const nothingToGiveBack: GiveBack = () => {};

/** Checks that cost nothing when no client has a quota. */
export const NO_QUOTA_GUARD: QuotaGuard = {
  request: [],
  oneMessage: [],
  oneMessageWithoutKey: [],
  takeMessages: async () => nothingToGiveBack,
};

/**
 * Builds the checks over `quotas`. A check that fails (Redis down or slower than `timeoutMs`)
 * lets the request through: the quota store is the Redis that holds the queue, so when it is
 * down the enqueue answers 503 anyway, and when it only stumbles, refusing paid-for traffic
 * would be worse than letting some of it through unchecked. Such passes are counted in
 * `sms_api_quota_check_failures_total` and logged.
 */
export function createQuotaGuard(deps: QuotaGuardDeps): QuotaGuard {
  const { quotas, idempotencyStore, metrics, logger, timeoutMs } = deps;
  if (!quotas.enforced) return NO_QUOTA_GUARD;

  const check = async <T>(res: Response, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await withTimeout(work(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
    } catch (error) {
      metrics.quotaCheckFailures.inc();
      logger.warn(
        { err: error, requestId: localsOf(res).requestId },
        'quota check failed: the request goes on unchecked',
      );
      return undefined;
    }
  };

  const enforce = (res: Response, state: LimitState | undefined, count = 1): void => {
    if (state === undefined) return;
    addRateLimitHeaders(res, state);
    if (state.allowed) return;
    const { client } = localsOf(res);
    metrics.quotaRefusals.inc({ client, limit: state.limit });
    throw refusal(state, count);
  };

  // A request repeated after its answer was lost must learn its ids even when the day is used up
  // since: its messages were counted the first time.
  const reserve = (res: Response, count: number, idempotencyKey: string | undefined) => {
    const { client } = localsOf(res);
    return check(res, async () => {
      if (idempotencyKey !== undefined && (await idempotencyStore.peek(client, idempotencyKey)))
        return undefined;
      return quotas.takeMessages(client, count);
    });
  };
  const reservedFor = (res: Response, reservation: MessageReservation | undefined): GiveBack => {
    if (reservation === undefined) return nothingToGiveBack;
    return () => {
      reservation.giveBack().catch((error: unknown) => {
        logger.warn(
          { err: error, requestId: localsOf(res).requestId },
          'quota: could not give messages back',
        );
      });
    };
  };

  const takeMessages = async (res: Response, count: number, idempotencyKey?: string): Promise<GiveBack> => {
    const reservation = await reserve(res, count, idempotencyKey);
    enforce(res, reservation, count);
    return reservedFor(res, reservation);
  };

  const request = async (_req: Request, res: Response, next: NextFunction) => {
    enforce(res, await check(res, () => quotas.takeRequest(localsOf(res).client)));
    next();
  };

  const oneMessage = (keyed: boolean) => async (req: Request, res: Response, next: NextFunction) => {
    const key = keyed ? idempotencyKeyOf(req) : undefined;
    // Sent together, the two checks share one round trip to Redis.
    const [second, day] = await Promise.all([
      check(res, () => quotas.takeRequest(localsOf(res).client)),
      reserve(res, 1, key),
    ]);
    const giveBack = reservedFor(res, day);
    try {
      enforce(res, second);
      enforce(res, day);
    } catch (error) {
      giveBack();
      throw error;
    }
    res.on('finish', () => {
      if (res.statusCode !== 202 || res.getHeader('Idempotency-Replayed') === 'true') giveBack();
    });
    next();
  };

  return {
    request: [request],
    oneMessage: [oneMessage(true)],
    oneMessageWithoutKey: [oneMessage(false)],
    takeMessages,
  };
}

function refusal(state: LimitState, count: number): ApiError {
  const wait = state.resetSeconds;
  if (state.limit === 'requests_per_second') {
    return new ApiError(
      4290,
      `the limit of ${state.quota} requests per second is reached; retry in ${wait} s`,
      undefined,
      wait,
    );
  }
  const asked = count === 1 ? 'this message does not fit' : `these ${count} messages do not fit`;
  return new ApiError(
    4291,
    `the daily quota of ${state.quota} messages is used up: ${state.remaining} left today and ${asked}; it renews at 00:00 UTC, in ${wait} s`,
    undefined,
    wait,
  );
}

function localsOf(res: Response): Locals {
  return res.locals as Locals;
}
