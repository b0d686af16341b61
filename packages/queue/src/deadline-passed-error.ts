/**
 * Redis ran an enqueue after the deadline it carried and refused it: none of its jobs was
 * stored, so none will be sent.
 */
export class DeadlinePassedError extends Error {
  readonly code = 'REDIS_DEADLINE_PASSED';

  constructor(
    /** The deadline the enqueue carried, in ms since the epoch. */
    readonly deadline: number,
    /** Jobs that Redis did not add (those it already held are left as they were). */
    readonly refused: number,
  ) {
    super(`Redis ran the enqueue after its deadline and refused ${refused} job(s)`);
    this.name = this.constructor.name;
  }
}
