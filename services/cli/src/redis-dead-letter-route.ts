import { ArchiveUnavailableError } from '@sms/archive';
import {
  type DeadLetterDetails,
  type DeadLetterPage,
  type DeadLetters,
  parseDeadLetterFilter,
  parseDeadLetterPageRequest,
  parseValidFor,
  type QueryResult,
  type ReplayAllResult,
  type ReplayResult,
} from '@sms/dead-letters';
import { type DeadLetterRoute, notInQueue, type RouteResult } from './dead-letter-route';

/**
 * The dead letters straight on Redis (`--direct`), through `DeadLetters` as the API uses it.
 * What the API would refuse is refused here with the API's code, field and message; a Redis
 * error (or the archive's, PostgreSQL out of reach) is a failure worth retrying, as no answer
 * from the API is. `where` names the Redis.
 */
export function redisDeadLetterRoute(deadLetters: DeadLetters, where: string): DeadLetterRoute {
  const attempt = async <T>(work: () => Promise<RouteResult<T>>): Promise<RouteResult<T>> => {
    try {
      return await work();
    } catch (error) {
      // The archive's error names PostgreSQL itself.
      const message =
        error instanceof ArchiveUnavailableError
          ? error.message
          : `Redis at ${where}: ${(error as Error).message}`;
      return { ok: false, failure: { outcome: 'retry', message } };
    }
  };
  return {
    list: (query) =>
      attempt<DeadLetterPage>(async () => {
        const request = parseDeadLetterPageRequest(query);
        return request.ok
          ? { ok: true, value: await deadLetters.list(request.value) }
          : refused(request, 4010);
      }),
    count: (query) =>
      attempt<number>(async () => {
        const filter = parseDeadLetterFilter(query);
        return filter.ok ? { ok: true, value: await deadLetters.count(filter.value) } : refused(filter, 4010);
      }),
    show: (id) =>
      attempt<DeadLetterDetails>(async () => {
        const details = await deadLetters.show(id);
        return details ? { ok: true, value: details } : notInQueue(id);
      }),
    replay: (id, validFor) =>
      attempt<ReplayResult>(async () => {
        const seconds = parseValidFor(validFor);
        if (!seconds.ok) return refused(seconds, 4009);
        const options = seconds.value === undefined ? {} : { validFor: seconds.value };
        return { ok: true, value: await deadLetters.replay(id, options) };
      }),
    replayAll: (query, validFor) =>
      attempt<ReplayAllResult>(async () => {
        const filter = parseDeadLetterFilter(query);
        if (!filter.ok) return refused(filter, 4010);
        const seconds = parseValidFor(validFor);
        if (!seconds.ok) return refused(seconds, 4009);
        const options = seconds.value === undefined ? {} : { validFor: seconds.value };
        return { ok: true, value: await deadLetters.replayAll(filter.value, options) };
      }),
    delete: (id) =>
      attempt<void>(async () =>
        (await deadLetters.delete(id)) ? { ok: true, value: undefined } : notInQueue(id),
      ),
  };
}

// As the API answers a bad filter (4010) or validity (4009): HTTP 400 aside, the same failure.
function refused(result: QueryResult<unknown> & { ok: false }, code: 4009 | 4010): RouteResult<never> {
  return { ok: false, failure: { outcome: 'refused', message: result.message, code, field: result.field } };
}
