import type { SmsPriority } from './sms-request-fields';
import type { SmsEncoding } from './sms-segments';

/**
 * Where a message is in its life. `scheduled` waits for its `sendAt`; `accepted` and
 * `accepted_queued` are Kaarai's 2020 and 2021; `dead_lettered` means Kaarai refused the message
 * for good; `failed` means the gateway gave up after its retry budget ran out; `expired` means
 * its validity period ended before Kaarai took it, and `canceled` that its client canceled it
 * before its first attempt: both were never sent.
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
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'accepted',
  'accepted_queued',
  'dead_lettered',
  'failed',
  'expired',
  'canceled',
]);

/**
 * Statuses a client may cancel from, provided no attempt was made yet: the worker's admission
 * refuses a final status, so from then on the message can no longer be sent.
 */
export const CANCELABLE_STATUSES: ReadonlySet<MessageStatus> = new Set(['scheduled', 'queued']);

export function isFinalStatus(status: MessageStatus): boolean {
  return FINAL_STATUSES.has(status);
}

/** The options a message was sent with, as every view of it shows them. */
export interface MessageOptionsView {
  readonly priority: SmsPriority;
  readonly reference?: string;
  /** When it is (or was) to be sent, ISO 8601; absent when it was sent at once. */
  readonly sendAt?: string;
  /** How its text travels, and in how many SMS parts (absent only on messages older than these fields). */
  readonly encoding?: SmsEncoding;
  readonly segments?: number;
}

/** What `POST /v1/sms` answers (202): the message's id and where it stands. */
export interface AcceptedMessageView extends MessageOptionsView {
  readonly id: string;
  readonly status: 'queued' | 'scheduled';
}

/** What `GET /v1/sms/:id` answers. Times are ISO 8601 strings. */
export interface MessageStatusView extends MessageOptionsView {
  readonly id: string;
  readonly status: MessageStatus;
  /** Receiver with its middle digits masked. */
  readonly to: string;
  readonly attempts: number;
  readonly lastCode?: number;
  readonly lastMessage?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}
