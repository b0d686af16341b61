import type { DeadLetterDetails, DeadLetterPage, ReplayAllResult, ReplayResult } from '@sms/dead-letters';
import type { DeadLetterQuery } from './parse-args';
import type { Failure } from './read-answer';

/** A result of a dead-letter operation, or why it was not done, in the API's terms either way. */
export type RouteResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: Failure };

/**
 * The dead-letter operations of `sms dlq`, whichever way they reach the dead letters: through
 * the API's admin port, or straight to Redis with `--direct`. Both judge the same filters with
 * the same `@sms/dead-letters` checks and fail with the same codes (4010 a bad filter, 4009 a
 * bad validity, 4042 not in the queue), so a command prints and exits alike on either.
 */
export interface DeadLetterRoute {
  list(query: DeadLetterQuery): Promise<RouteResult<DeadLetterPage>>;
  /** How many dead letters the filter selects. */
  count(filter: DeadLetterQuery): Promise<RouteResult<number>>;
  show(id: string): Promise<RouteResult<DeadLetterDetails>>;
  /** `not_found` and `busy` are results, not failures: they are what a replay expects. */
  replay(id: string, validFor: number | undefined): Promise<RouteResult<ReplayResult>>;
  replayAll(filter: DeadLetterQuery, validFor: number | undefined): Promise<RouteResult<ReplayAllResult>>;
  delete(id: string): Promise<RouteResult<void>>;
}

/** Failing code 4042, in the API's words. */
export function notInQueue(id: string): RouteResult<never> {
  return {
    ok: false,
    failure: {
      outcome: 'notFound',
      message: `message ${id.slice(0, 64)} is not in the dead-letter queue`,
      code: 4042,
    },
  };
}
