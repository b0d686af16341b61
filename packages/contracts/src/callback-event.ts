import { isOneOf } from './is-one-of';
import type { MessageStatus } from './message-status';

/**
 * The state changes a client's receiver is told of: every final status, and each retry, so that
 * a receiver can show that delivery is being worked on. `queued`, `scheduled` and `sending` are
 * not sent: the 202 already said the first two, and the third lasts a fraction of a second.
 */
export const CALLBACK_STATUSES = [
  'accepted',
  'accepted_queued',
  'retrying',
  'dead_lettered',
  'failed',
  'expired',
  'canceled',
  'unknown',
] as const satisfies readonly MessageStatus[];

export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

export const isCallbackStatus = isOneOf(CALLBACK_STATUSES);

/** The JSON body of one status callback. */
export interface CallbackEvent {
  /** Unique per event: `<messageId>:<sequence>`; the same on every retry of the event, so a receiver can drop repeats. */
  readonly id: string;
  /** 1 for a message's first event, then 2, 3...: events of a message are sent in this order. */
  readonly sequence: number;
  readonly messageId: string;
  /** The caller's `reference` of the message, when it had one. */
  readonly reference?: string;
  readonly status: CallbackStatus;
  /** Kaarai's code behind the change (2020, 5030...), when there was one. */
  readonly code?: number;
  /** When the status changed, ISO 8601. */
  readonly at: string;
}

/** The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const CALLBACK_SIGNATURE_HEADER = 'Sms-Signature';
/** The header that repeats the event's id, so that a receiver can drop a repeat before parsing. */
export const CALLBACK_EVENT_ID_HEADER = 'Sms-Event-Id';
/** How far a signature's time may be from the receiver's clock before it refuses it, in seconds. */
export const CALLBACK_REPLAY_WINDOW_SECONDS = 300;
