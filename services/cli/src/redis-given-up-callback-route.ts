import {
  type CallbackJobSettings,
  type CallbackQueue,
  type GivenUpCallbackDetails,
  type GivenUpCallbacks,
  type GivenUpPage,
  parseGivenUpFilter,
  parseGivenUpPageRequest,
  type ReplayedCallbacks,
} from '@sms/callbacks';
import type { QueryResult } from '@sms/contracts';
import type { RouteResult } from './dead-letter-route';
import { type GivenUpCallbackRoute, notGivenUp } from './given-up-callback-route';

export interface RedisGivenUpDeps {
  readonly givenUp: GivenUpCallbacks;
  readonly queue: CallbackQueue;
  readonly job: CallbackJobSettings;
  /** The Redis, for messages, without a password. */
  readonly where: string;
}

/**
 * The given-up callbacks straight on Redis (`--direct`), through `GivenUpCallbacks` as the API
 * uses it. What the API would refuse is refused here with its code, field and message; a Redis
 * error is a failure worth retrying, as no answer from the API is.
 */
export function redisGivenUpCallbackRoute(deps: RedisGivenUpDeps): GivenUpCallbackRoute {
  const { givenUp, queue, job, where } = deps;
  const attempt = async <T>(work: () => Promise<RouteResult<T>>): Promise<RouteResult<T>> => {
    try {
      return await work();
    } catch (error) {
      return {
        ok: false,
        failure: { outcome: 'retry', message: `Redis at ${where}: ${(error as Error).message}` },
      };
    }
  };
  return {
    list: (query) =>
      attempt<GivenUpPage>(async () => {
        const request = parseGivenUpPageRequest(query);
        return request.ok ? { ok: true, value: await givenUp.list(request.value) } : refused(request);
      }),
    count: (query) =>
      attempt<number>(async () => {
        const filter = parseGivenUpFilter(query);
        return filter.ok ? { ok: true, value: await givenUp.count(filter.value) } : refused(filter);
      }),
    show: (id) =>
      attempt<GivenUpCallbackDetails>(async () => {
        const details = await givenUp.show(id);
        return details ? { ok: true, value: details } : notGivenUp(id);
      }),
    replay: (id) =>
      attempt<ReplayedCallbacks>(async () => ({ ok: true, value: await givenUp.replay([id], queue, job) })),
    replayAll: (query) =>
      attempt<ReplayedCallbacks>(async () => {
        const filter = parseGivenUpFilter(query);
        return filter.ok
          ? { ok: true, value: await givenUp.replayAll(filter.value, queue, job) }
          : refused(filter);
      }),
  };
}

// As the API answers a bad filter (4019): HTTP 400 aside, the same failure.
function refused(result: QueryResult<unknown> & { ok: false }): RouteResult<never> {
  return {
    ok: false,
    failure: { outcome: 'refused', message: result.message, code: 4019, field: result.field },
  };
}
