import { z } from 'zod';

// The kinds of field the admin API's bodies share. Each message is what the API answers after
// the field's name; given to the schema, it stands for all of the schema's checks.
// exactOptional: a field is left out, never undefined, so that applying an update cannot blank
// a value.

/** A share of requests, from 0 to 1. */
export const share = () => z.number({ error: 'must be a number from 0 to 1' }).min(0).max(1).exactOptional();

/** A number of requests. */
export const count = () => z.int({ error: 'must be a whole number, 0 or more' }).min(0).exactOptional();

/** A duration in milliseconds, up to `max`. */
export const millis = (max: number) =>
  z
    .int({ error: `must be a whole number of milliseconds from 0 to ${max}` })
    .min(0)
    .max(max)
    .exactOptional();
