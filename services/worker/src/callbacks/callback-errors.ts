/**
 * Thrown by the callback processor so that BullMQ tries the event again after its backoff, or,
 * on the last attempt, keeps the job in the failed set as given up. Named after its class so
 * that the type survives the trip through Redis.
 */
export class CallbackDeliveryError extends Error {
  readonly code = 'CALLBACK_NOT_DELIVERED';
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}
