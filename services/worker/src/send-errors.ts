/**
 * Thrown by the processor so that BullMQ schedules another attempt (with our backoff). Named
 * after its class so that the type survives the trip through Redis.
 */
export class RetryableSendError extends Error {
  constructor(
    message: string,
    /** Kaarai's code, or 0 when no answer arrived. */
    readonly code: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = this.constructor.name;
  }
}
