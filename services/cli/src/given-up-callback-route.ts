import type { GivenUpCallbackDetails, GivenUpPage, ReplayedCallbacks } from '@sms/callbacks';
import type { RouteResult } from './dead-letter-route';
import type { DeadLetterQuery } from './parse-args';

/**
 * The given-up callback operations of `sms callbacks`, whichever way they reach them: through the
 * API's admin port, or straight to Redis with `--direct`. Both judge filters with the same
 * `@sms/callbacks` checks and fail with the same codes (4019 a bad filter, 4043 not given up).
 */
export interface GivenUpCallbackRoute {
  list(query: DeadLetterQuery): Promise<RouteResult<GivenUpPage>>;
  /** How many given-up callbacks the filter selects. */
  count(filter: DeadLetterQuery): Promise<RouteResult<number>>;
  show(id: string): Promise<RouteResult<GivenUpCallbackDetails>>;
  /** One id; one that is not given up is a result (in `notFound`), not a failure. */
  replay(id: string): Promise<RouteResult<ReplayedCallbacks>>;
  replayAll(filter: DeadLetterQuery): Promise<RouteResult<ReplayedCallbacks>>;
}

/** Failing code 4043, in the API's words. */
export function notGivenUp(id: string): RouteResult<never> {
  return {
    ok: false,
    failure: {
      outcome: 'notFound',
      message: `callback ${id.slice(0, 80)} is not a given-up callback (replayed already, past its retention, or unknown)`,
      code: 4043,
    },
  };
}
