/**
 * A record read back from Redis holds, in one field, a value the gateway never writes there:
 * written by something else, or by another version of the gateway. The record is left as it
 * is, for an operator to inspect by its key.
 */
export class CorruptRecordError extends Error {
  readonly code = 'REDIS_CORRUPT_RECORD';

  constructor(
    readonly key: string,
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`Redis key ${key} holds ${JSON.stringify(value)} in ${field}, which the gateway never writes`);
    this.name = this.constructor.name;
  }
}

/** `value`, read from `field` of the record at `key`, when `isValid`; else `CorruptRecordError`. */
export function checkedField<T>(
  key: string,
  field: string,
  value: unknown,
  isValid: (value: unknown) => value is T,
): T {
  if (!isValid(value)) throw new CorruptRecordError(key, field, value);
  return value;
}
