import type { GivenUpPage } from '@sms/callbacks';
import type { ApiCall } from './build-request';
import type { RouteResult } from './dead-letter-route';
import type { GivenUpCallbackRoute } from './given-up-callback-route';
import type { Answer } from './read-answer';

/** The given-up callbacks through the API's `/v1/admin/callbacks` routes; `call` makes one request. */
export function apiGivenUpCallbackRoute(call: (apiCall: ApiCall) => Promise<Answer>): GivenUpCallbackRoute {
  return {
    list: async (query) => resultOf(await call({ name: 'callbacks list', query })),
    count: async (filter) => {
      // The listing's total is the count; one entry is the least a page can hold.
      const answer = await call({ name: 'callbacks list', query: { ...filter, limit: '1' } });
      return answer.ok ? { ok: true, value: (answer.body as GivenUpPage).total } : answer;
    },
    show: async (id) => resultOf(await call({ name: 'callbacks show', id })),
    replay: async (id) => {
      const answer = await call({ name: 'callbacks replay', id });
      // What `GivenUpCallbacks.replay` gives for an id that is not given up.
      if (!answer.ok && answer.failure.code === 4043)
        return { ok: true, value: { replayed: [], notFound: [id] } };
      return resultOf(answer);
    },
    replayAll: async (filter) => resultOf(await call({ name: 'callbacks replay-all', filter })),
  };
}

function resultOf<T>(answer: Answer): RouteResult<T> {
  return answer.ok ? { ok: true, value: answer.body as T } : answer;
}
