/**
 * Redis did not confirm, in time, that enough replicas hold what was just written: the write is
 * on the primary and may or may not survive a failover.
 */
export class NotReplicatedError extends Error {
  readonly code = 'REDIS_NOT_REPLICATED';

  constructor(
    /** Replicas that confirmed (0 when the connection changed in between). */
    readonly acknowledged: number,
    readonly required: number,
    reason = `${acknowledged} of ${required} Redis replicas confirmed the write in time`,
  ) {
    super(reason);
    this.name = this.constructor.name;
  }
}
