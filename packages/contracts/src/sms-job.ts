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
}
