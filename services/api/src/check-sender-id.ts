import {
  describeSenderIds,
  isSenderIdAllowed,
  type SenderIdPattern,
  type ValidationResult,
} from '@sms/contracts';

/** Which `from` each client may use, and which it gets without one. */
export interface SenderIdSettings {
  /** Each client's sender ids (CLIENT_SENDER_IDS). @defaultValue none */
  readonly byClient?: ReadonlyMap<string, readonly SenderIdPattern[]>;
  /** The sender ids of every client not in `byClient` (DEFAULT_SENDER_IDS). @defaultValue any `from` */
  readonly others?: readonly SenderIdPattern[];
  /** Each client's `from` for messages without one (CLIENT_DEFAULT_FROM), one of its ids. @defaultValue none */
  readonly defaultFrom?: ReadonlyMap<string, string>;
}

/** A validated message as a client may send it: its `from` checked, or its default filled in. */
export type CheckSenderId = (client: string, result: ValidationResult) => ValidationResult;

/**
 * The sender id rule of every route that takes messages. A `from` off the client's list is
 * refused with 4032 (403: the id is well formed, this client may not use it), which names the
 * ids it may use: they are the client's own settings. A message without `from` takes the
 * client's default here, before it is queued, so that its job holds it and Kaarai receives it.
 */
export function createCheckSenderId(settings: SenderIdSettings = {}): CheckSenderId {
  const { byClient = new Map(), others, defaultFrom = new Map() } = settings;
  return (client, result) => {
    if (!result.ok) return result;
    const { from } = result.value;
    if (from === undefined) {
      const fallback = defaultFrom.get(client);
      return fallback === undefined ? result : { ok: true, value: { ...result.value, from: fallback } };
    }
    const patterns = byClient.get(client) ?? others;
    if (patterns === undefined || isSenderIdAllowed(from, patterns)) return result;
    return {
      ok: false,
      error: {
        code: 4032,
        field: 'from',
        message: `"from" ${JSON.stringify(from)} is not one of this client's sender ids: ${describeSenderIds(patterns)}`,
      },
    };
  };
}
