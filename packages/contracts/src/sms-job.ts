import type { DeliveryMode, SmsPriority } from './sms-request-fields';
import type { SmsEncoding } from './sms-segments';

/**
 * The payload of a send job. The message id is the BullMQ job id, so it is not repeated here.
 */
export interface SmsJobData {
  readonly to: string;
  readonly from?: string;
  readonly text: string;
  /** Name of the API client that submitted the message; scopes status look-ups. */
  readonly client: string;
  /** When the API accepted the message, in milliseconds since the epoch. */
  readonly acceptedAt: number;
  /**
   * When the message stops being worth sending, in milliseconds since the epoch: a message
   * still undelivered then is never sent. Absent on jobs that never expire.
   */
  readonly expiresAt?: number;
  /** The API request id, so that logs of the API and the worker can be joined. */
  readonly requestId?: string;
  /** Absent means `normal`; the queue takes it from here (`@sms/queue`'s job options). */
  readonly priority?: SmsPriority;
  /** Absent means `at-least-once`; the API resolves the client's default into it. */
  readonly delivery?: DeliveryMode;
  /** When to send, in ms since the epoch; absent: at once. `expiresAt` counts from it. */
  readonly sendAt?: number;
  /** The client's own id for the message. */
  readonly reference?: string;
  /** How the text travels, and in how many SMS parts; the API sets them (`smsSegmentsOf`). */
  readonly encoding?: SmsEncoding;
  readonly segments?: number;
  /** Where its status changes are posted; absent: the client's default, if any (CALLBACK_DEFAULT_URLS). */
  readonly callbackUrl?: string;
  /**
   * W3C Trace Context of the API's `enqueue` span, so that every attempt's spans join the
   * request's trace (docs/observability.md, "Traces"); absent when the API does not trace.
   */
  readonly traceparent?: string;
  readonly tracestate?: string;
}
