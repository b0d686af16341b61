import { isOneOf } from './is-one-of';

/**
 * Where a message is in its life. `scheduled` waits for its `sendAt`; `accepted` and
 * `accepted_queued` are Kaarai's 2020 and 2021; `dead_lettered` means Kaarai refused the message
 * for good; `failed` means the gateway gave up after its retry budget ran out; `expired` means
 * its validity period ended before Kaarai took it, and `canceled` that its client canceled it
 * before its first attempt: both were never sent. `unknown` ends an `at-most-once` message
 * whose call may have reached Kaarai without an answer (or whose worker was lost mid-call):
 * Kaarai may have it, and it is never sent again.
 */
export const MESSAGE_STATUSES = [
  'scheduled',
  'queued',
  'sending',
  'retrying',
  'accepted',
  'accepted_queued',
  'dead_lettered',
  'failed',
  'expired',
  'canceled',
  'unknown',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const isMessageStatus = isOneOf(MESSAGE_STATUSES);

export const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'accepted',
  'accepted_queued',
  'dead_lettered',
  'failed',
  'expired',
  'canceled',
  'unknown',
]);

/**
 * Statuses a client may cancel from, provided no attempt was made yet: the worker's admission
 * refuses a final status, so from then on the message can no longer be sent.
 */
export const CANCELABLE_STATUSES: ReadonlySet<MessageStatus> = new Set(['scheduled', 'queued']);

export function isFinalStatus(status: MessageStatus): boolean {
  return FINAL_STATUSES.has(status);
}
