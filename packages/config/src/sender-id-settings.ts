import {
  isSenderIdAllowed,
  normaliseSender,
  parseSenderIdPattern,
  type SenderIdPattern,
  SMS_REQUEST_FIELDS,
} from '@sms/contracts';
import { z } from 'zod';
import { clientEntries } from './callback-settings';

const HOW_TO = 'sender ids separated by |, e.g. ACME|+5730012*';

/** `ACME|+5730012*` into its patterns; otherwise why it is not such a list. */
function parseSenderIds(text: string): readonly SenderIdPattern[] | { problem: string } {
  const patterns: SenderIdPattern[] = [];
  for (const entry of text.split('|').filter((e) => e.trim() !== '')) {
    const pattern = parseSenderIdPattern(entry);
    if ('problem' in pattern) return pattern;
    patterns.push(pattern);
  }
  return patterns.length > 0 ? patterns : { problem: `needs ${HOW_TO}` };
}

// Checked by the same rule as a request's `from`, so that a default is one a request could send.
const fromSchema = SMS_REQUEST_FIELDS.from.schema();

/** CLIENT_SENDER_IDS: `client=ACME|+5730012*`, into each client's sender ids. */
export function clientSenderIds() {
  return clientEntries<readonly SenderIdPattern[]>('ACME|+5730012*', parseSenderIds);
}

/** DEFAULT_SENDER_IDS: `ACME|+5730012*`, the sender ids of every client not in CLIENT_SENDER_IDS. */
export function defaultSenderIds() {
  return z.string().transform((text, ctx) => {
    const parsed = parseSenderIds(text);
    if (!('problem' in parsed)) return parsed;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  });
}

/** CLIENT_DEFAULT_FROM: `client=ACME`, the `from` of a client's messages sent without one. */
export function clientDefaultFrom() {
  return clientEntries<string>('ACME', (from) => {
    const parsed = fromSchema.safeParse(from);
    return parsed.success ? normaliseSender(from) : { problem: parsed.error.issues[0]!.message };
  });
}

export const senderIdConfigShape = {
  CLIENT_SENDER_IDS: clientSenderIds()
    .optional()
    .describe(
      'The sender ids each client (named as in API_KEYS) may put in from, as client=ids pairs, comma-separated; ids separated by | as an alphanumeric id (matched as written, letter case included), a number (with or without +) or the first digits of numbers then * (+5730012* is every number that starts 5730012), e.g. shop=ACME|+5730012*,crm=CRM. Any other from is refused (403, 4032). Clients not listed get DEFAULT_SENDER_IDS. Default none.',
    ),
  DEFAULT_SENDER_IDS: defaultSenderIds()
    .optional()
    .describe(
      'The sender ids of every client that CLIENT_SENDER_IDS does not list, written like its ids (e.g. INFO|+57300*). Default none: such a client may use any from.',
    ),
  CLIENT_DEFAULT_FROM: clientDefaultFrom()
    .optional()
    .describe(
      "Each client's from for messages sent without one, as client=id pairs, comma-separated (e.g. shop=ACME); it must be one of the client's sender ids (CLIENT_SENDER_IDS, or DEFAULT_SENDER_IDS for a client not listed there). Default none: Kaarai picks the sender.",
    ),
};

/**
 * Problems between the sender id variables, as [variable, message] pairs: a default `from` that
 * its client may not use would have every message without a `from` refused.
 */
export function senderIdConfigProblems(config: Record<string, unknown>): [string, string][] {
  const defaults: unknown = config.CLIENT_DEFAULT_FROM;
  if (!(defaults instanceof Map)) return [];
  const lists: unknown = config.CLIENT_SENDER_IDS;
  const byClient = lists instanceof Map ? (lists as Map<string, readonly SenderIdPattern[]>) : new Map();
  const fallback = Array.isArray(config.DEFAULT_SENDER_IDS)
    ? (config.DEFAULT_SENDER_IDS as readonly SenderIdPattern[])
    : undefined;
  return [...(defaults as Map<string, string>)].flatMap(([client, from]): [string, string][] => {
    const own = byClient.get(client);
    const patterns = own ?? fallback;
    if (patterns === undefined || isSenderIdAllowed(from, patterns)) return [];
    const list = own ? 'CLIENT_SENDER_IDS' : 'DEFAULT_SENDER_IDS';
    return [['CLIENT_DEFAULT_FROM', `the from "${from}" of client "${client}" is not one of its ${list}`]];
  });
}
