import { maskNumber } from '@sms/contracts';

// A sender is either digits (a phone number, masked like the receiver) or an alphanumeric
// sender id (a brand name, left as it is): `validateSmsRequest` allows nothing else.
const NUMERIC = /^\d+$/;

/**
 * A job's data as the queue UI shows it unless QUEUE_UI_SHOW_MESSAGES is set: the receiver, and
 * a sender that is a number, masked by `maskNumber` as in status answers and logs; the text
 * replaced by its length, since status answers do not carry it at all. Everything else an
 * operator needs to judge a job (client, times, reason, Kaarai's code) is left as it is, and so is
 * data that is not an object.
 */
export function maskQueuedMessage(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const masked: Record<string, unknown> = { ...data };
  if (typeof masked.to === 'string') masked.to = maskNumber(masked.to);
  if (typeof masked.from === 'string' && NUMERIC.test(masked.from)) masked.from = maskNumber(masked.from);
  if (typeof masked.text === 'string') masked.text = `(hidden: ${[...masked.text].length} characters)`;
  return masked;
}
