// Printable ASCII: fetch refuses other header values by throwing before it sends anything, which
// would read as a network failure instead of a usage error.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** Whether `value` can be sent as an HTTP header value (a key, an Idempotency-Key). */
export function isHeaderValue(value: string): boolean {
  return PRINTABLE_ASCII.test(value);
}
