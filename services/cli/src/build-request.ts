import type { DeadLetterQuery, SendFields } from './parse-args';
import type { Settings } from './resolve-settings';
import { CLI_VERSION } from './version';

/** One call to the API: what `fetch` is given. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** One request of a command, everything resolved: the text read, the key chosen, one id. */
export type ApiCall =
  | { readonly name: 'send'; readonly fields: SendFields; readonly idempotencyKey: string }
  | { readonly name: 'status' | 'cancel' | 'dlq show' | 'dlq delete'; readonly id: string }
  | { readonly name: 'find'; readonly reference: string }
  | { readonly name: 'dlq list'; readonly query: DeadLetterQuery }
  | { readonly name: 'dlq replay'; readonly id: string; readonly validFor?: number }
  | { readonly name: 'dlq replay-all'; readonly filter: DeadLetterQuery; readonly validFor?: number }
  | { readonly name: 'callbacks list'; readonly query: DeadLetterQuery }
  | { readonly name: 'callbacks show' | 'callbacks replay'; readonly id: string }
  | { readonly name: 'callbacks replay-all'; readonly filter: DeadLetterQuery };

/** The HTTP request of one call. Ids go into the path percent-encoded, so any id is one segment. */
export function buildRequest(call: ApiCall, settings: Settings): ApiRequest {
  const headers = {
    accept: 'application/json',
    authorization: `Bearer ${settings.key}`,
    'user-agent': `sms-cli/${CLI_VERSION}`,
  };
  const url = (path: string) => `${settings.apiUrl}${path}`;
  const sms = (id: string) => url(`/v1/sms/${encodeURIComponent(id)}`);
  const deadLetter = (id: string) => url(`/v1/admin/dead-letters/${encodeURIComponent(id)}`);
  const givenUp = (id: string) => url(`/v1/admin/callbacks/${encodeURIComponent(id)}`);
  const withJson = (body: unknown) => ({
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  switch (call.name) {
    case 'send': {
      const json = withJson(call.fields);
      return {
        method: 'POST',
        url: url('/v1/sms'),
        headers: { ...json.headers, 'idempotency-key': call.idempotencyKey },
        body: json.body,
      };
    }
    case 'status':
      return { method: 'GET', url: sms(call.id), headers };
    case 'cancel':
      return { method: 'DELETE', url: sms(call.id), headers };
    case 'find':
      return {
        method: 'GET',
        url: url(`/v1/sms?${new URLSearchParams({ reference: call.reference })}`),
        headers,
      };
    case 'dlq list': {
      const query = new URLSearchParams(call.query).toString();
      return { method: 'GET', url: url(`/v1/admin/dead-letters${query === '' ? '' : `?${query}`}`), headers };
    }
    case 'dlq show':
      return { method: 'GET', url: deadLetter(call.id), headers };
    case 'dlq replay':
      // Without a body the API gives the message as long a validity as it had at first.
      return {
        method: 'POST',
        url: `${deadLetter(call.id)}/replay`,
        ...(call.validFor === undefined ? { headers } : withJson({ validFor: call.validFor })),
      };
    case 'dlq replay-all':
      // Always a body: the API replays every dead letter only for an explicit `{}`.
      return {
        method: 'POST',
        url: url('/v1/admin/dead-letters/replay'),
        ...withJson({ ...call.filter, ...(call.validFor !== undefined && { validFor: call.validFor }) }),
      };
    case 'dlq delete':
      return { method: 'DELETE', url: deadLetter(call.id), headers };
    case 'callbacks list': {
      const query = new URLSearchParams(call.query).toString();
      return { method: 'GET', url: url(`/v1/admin/callbacks${query === '' ? '' : `?${query}`}`), headers };
    }
    case 'callbacks show':
      return { method: 'GET', url: givenUp(call.id), headers };
    case 'callbacks replay':
      return { method: 'POST', url: `${givenUp(call.id)}/replay`, headers };
    case 'callbacks replay-all':
      // Always a body: the API replays every given-up callback only for an explicit `{}`.
      return { method: 'POST', url: url('/v1/admin/callbacks/replay'), ...withJson(call.filter) };
  }
}
