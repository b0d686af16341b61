// A number, or an alphanumeric sender id: at most 11 characters on the GSM network, with a letter.
export const NUMERIC_SENDER = /^\+?[0-9]{3,15}$/;
export const SENDER = /^(?:\+?[0-9]{3,15}|(?=.*[A-Za-z])[A-Za-z0-9 .&'_-]{1,11})$/;
// A number range: the first digits of a number, then `*`. Never a bare `*`, which would open
// every number, nor an alphanumeric id with one: those are few, and listed whole.
const NUMBER_PREFIX = /^\+?([0-9]{1,14})\*$/;

/**
 * One entry of a client's sender ids: a sender id as `from` takes it (an alphanumeric id, or a
 * number without its `+`), or the leading digits of a range of numbers.
 */
export type SenderIdPattern =
  | { readonly kind: 'exact'; readonly sender: string }
  | { readonly kind: 'numberPrefix'; readonly digits: string };

/**
 * `from` as the gateway stores and sends it: a number loses its leading `+`; an alphanumeric id
 * is kept as written, since a phone shows it as written.
 */
export function normaliseSender(from: string): string {
  return NUMERIC_SENDER.test(from) && from.startsWith('+') ? from.slice(1) : from;
}

/** `ACME`, `+573001234567` or `+5730012*` into a pattern; otherwise why it is not one. */
export function parseSenderIdPattern(text: string): SenderIdPattern | { problem: string } {
  const value = text.trim();
  const prefix = NUMBER_PREFIX.exec(value);
  if (prefix) return { kind: 'numberPrefix', digits: prefix[1]! };
  if (SENDER.test(value)) return { kind: 'exact', sender: normaliseSender(value) };
  return {
    problem: `"${value.slice(0, 20)}" is not a sender id: 3 to 15 digits, the first digits of a number then * (e.g. +5730012*), or up to 11 letters, digits, spaces and .&'_- with a letter`,
  };
}

/**
 * Whether `from` may be used by a client whose sender ids are `patterns`. An alphanumeric id
 * matches only as written, letter case included: the receiver's phone shows those exact
 * characters, and whoever owns `ACME` has not agreed to `Acme`. A number matches with or without
 * its `+`, and a range holds every number that starts with its digits.
 */
export function isSenderIdAllowed(from: string, patterns: readonly SenderIdPattern[]): boolean {
  const sender = normaliseSender(from);
  const numeric = NUMERIC_SENDER.test(sender);
  return patterns.some((pattern) =>
    pattern.kind === 'exact' ? pattern.sender === sender : numeric && sender.startsWith(pattern.digits),
  );
}

/** A list of patterns as the configuration writes it, `ACME|+5730012*`: for messages. */
export function describeSenderIds(patterns: readonly SenderIdPattern[]): string {
  return patterns.map((p) => (p.kind === 'exact' ? p.sender : `${p.digits}*`)).join('|');
}
