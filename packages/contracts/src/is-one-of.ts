/**
 * The guard of a union built from a const array (`MESSAGE_STATUSES`, `SMS_PRIORITIES`...): true
 * for the array's members only, so that a string read back from Redis or a request gets the
 * union's type from the same data that defines the union, never from a cast.
 */
export function isOneOf<T extends string>(values: readonly T[]): (value: unknown) => value is T {
  const members: ReadonlySet<unknown> = new Set(values);
  return (value): value is T => members.has(value);
}
