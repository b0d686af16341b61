/**
 * Where a message is in its life. `accepted` and `accepted_queued` are Kaarai's 2020 and 2021;
 * `dead_lettered` means Kaarai refused the message for good; `failed` means the gateway gave up
 * after its retry budget ran out; `expired` means its validity period ended before Kaarai took
 * it, so it was never sent.
 */
export const MESSAGE_STATUSES = [
  'queued',
  'sending',
  'retrying',
  'accepted',
  'accepted_queued',
  'dead_lettered',
  'failed',
  'expired',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'accepted',
  'accepted_queued',
  'dead_lettered',
  'failed',
  'expired',
]);

export function isFinalStatus(status: MessageStatus): boolean {
  return FINAL_STATUSES.has(status);
}

/** What `GET /v1/sms/:id` answers. Times are ISO 8601 strings. */
export interface MessageStatusView {
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
