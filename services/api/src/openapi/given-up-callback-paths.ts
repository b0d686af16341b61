import { MAX_GIVEN_UP_PAGE_SIZE } from '@sms/callbacks';
import { windowAndPageParameters } from './openapi-parameters';
import type { OperationOf } from './operation-spec';

const EVENT_ID = {
  name: 'id',
  in: 'path',
  required: true,
  description: "The callback event's id, <messageId>:<sequence>.",
  schema: { type: 'string' },
};

const REPLAY_ORDER =
  "The callback goes to the tail of its message's outbox, behind the events already waiting there, and is posted by the message's one callback job, signed at that moment with the client's current secret (CALLBACK_SECRETS). A replay of several callbacks of one message posts them oldest first. The receiver may so get an older status after a newer one: the event's sequence (and at) tells which is newer.";

/** The admin routes over given-up status callbacks, in the document's terms. */
export function givenUpCallbackPaths(
  operation: OperationOf,
  ok: (description: string, schema: string) => Record<string, Record<string, unknown>>,
  body: (schema: string, required: boolean) => unknown,
): Record<string, Record<string, Record<string, unknown>>> {
  const tags = ['status callbacks'];
  const security = ['adminKey'];
  const filter = [
    { name: 'client', in: 'query', description: "A client's name (API_KEYS).", schema: { type: 'string' } },
    ...windowAndPageParameters(MAX_GIVEN_UP_PAGE_SIZE),
  ];
  return {
    '/v1/admin/callbacks': {
      get: operation('listGivenUpCallbacks', {
        summary: 'List status callbacks given up after CALLBACK_ATTEMPTS, newest first',
        tags,
        security,
        parameters: filter,
        success: ok('One page.', 'GivenUpCallbackPage'),
      }),
    },
    '/v1/admin/callbacks/replay': {
      post: operation('replayGivenUpCallbacks', {
        summary: 'Replay every given-up callback a filter selects ({} replays all)',
        description: REPLAY_ORDER,
        tags,
        security,
        requestBody: body('ReplayGivenUpCallbacksRequest', true),
        success: ok('What was replayed.', 'GivenUpCallbacksReplayed'),
      }),
    },
    '/v1/admin/callbacks/{id}': {
      get: operation('showGivenUpCallback', {
        summary: 'A given-up callback: its last error and the body a replay posts',
        tags,
        security,
        parameters: [EVENT_ID],
        success: ok('The given-up callback.', 'GivenUpCallbackDetails'),
      }),
    },
    '/v1/admin/callbacks/{id}/replay': {
      post: operation('replayGivenUpCallback', {
        summary: 'Post a given-up callback again',
        description: REPLAY_ORDER,
        tags,
        security,
        parameters: [EVENT_ID],
        success: ok('Back in its outbox.', 'GivenUpCallbacksReplayed'),
      }),
    },
  };
}
