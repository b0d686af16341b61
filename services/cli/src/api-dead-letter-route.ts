import type { DeadLetterPage, ReplayResult } from '@sms/dead-letters';
import type { ApiCall } from './build-request';
import type { DeadLetterRoute, RouteResult } from './dead-letter-route';
import type { Answer } from './read-answer';

/** The dead letters through the API's `/v1/admin/dead-letters` routes; `call` makes one request. */
export function apiDeadLetterRoute(call: (apiCall: ApiCall) => Promise<Answer>): DeadLetterRoute {
  return {
    list: async (query) => resultOf(await call({ name: 'dlq list', query })),
    count: async (filter) => {
      // The listing's total is the count; one entry is the least a page can hold.
      const answer = await call({ name: 'dlq list', query: { ...filter, limit: '1' } });
      return answer.ok ? { ok: true, value: (answer.body as DeadLetterPage).total } : answer;
    },
    show: async (id) => resultOf(await call({ name: 'dlq show', id })),
    replay: async (id, validFor) => {
      const answer = await call({ name: 'dlq replay', id, ...(validFor !== undefined && { validFor }) });
      if (answer.ok) return resultOf<ReplayResult>(answer);
      // The two refusals a replay expects are results, as `DeadLetters.replay` gives them.
      if (answer.failure.code === 4042) return { ok: true, value: { outcome: 'not_found', id } };
      if (answer.failure.code === 4090) return { ok: true, value: { outcome: 'busy', id } };
      return answer;
    },
    replayAll: async (filter, validFor) =>
      resultOf(await call({ name: 'dlq replay-all', filter, ...(validFor !== undefined && { validFor }) })),
    delete: async (id) => {
      const answer = await call({ name: 'dlq delete', id });
      return answer.ok ? { ok: true, value: undefined } : answer;
    },
  };
}

function resultOf<T>(answer: Answer): RouteResult<T> {
  return answer.ok ? { ok: true, value: answer.body as T } : answer;
}
