import type { ApiErrorCode } from './api-error-codes';

/** What a caller POSTs to `/v1/sms`. */
export interface SmsRequest {
  /** Receiver: digits including the country code, without `+`. */
  readonly to: string;
  /** Sender: a number or an alphanumeric sender id; Kaarai picks a default when absent. */
  readonly from?: string;
  readonly text: string;
  /** Seconds the message stays worth sending; the gateway's default applies when absent. */
  readonly validFor?: number;
}

/** Shortest validity a caller may ask for, in seconds: below it a message could expire in the queue. */
export const MIN_VALIDITY_SECONDS = 30;

export interface ValidationLimits {
  /** Longest accepted `text`, in Unicode code points. */
  readonly maxTextLength: number;
  /** Longest accepted `validFor`, in seconds. */
  readonly maxValiditySeconds: number;
}

export interface ValidationError {
  readonly code: ApiErrorCode;
  /** The offending field, absent when the body as a whole is wrong. */
  readonly field?: string;
  readonly message: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly value: SmsRequest }
  | { readonly ok: false; readonly error: ValidationError };

const KNOWN_FIELDS = new Set(['to', 'from', 'text', 'validFor']);
// E.164 allows at most 15 digits; country codes never start with 0.
const RECEIVER = /^[1-9][0-9]{6,14}$/;
const NUMERIC_SENDER = /^[0-9]{3,15}$/;
// Alphanumeric sender ids are limited to 11 characters by the GSM network and need a letter.
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 .&'_-]{1,11}$/;
const LONE_SURROGATE = /\p{Surrogate}/u;

function fail(code: ApiErrorCode, field: string | undefined, message: string): ValidationResult {
  return { ok: false, error: field === undefined ? { code, message } : { code, field, message } };
}

/** Checks a parsed JSON body against the SMS request rules; the first broken rule is reported. */
export function validateSmsRequest(body: unknown, limits: ValidationLimits): ValidationResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(4007, undefined, 'the body must be a JSON object with "to" and "text"');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.has(key))
      return fail(4006, key, `unknown field "${key}"; allowed: to, from, text, validFor`);
  }

  const { to, from, text, validFor } = input;
  if (to === undefined || to === null || to === '') return fail(4001, 'to', '"to" is required');
  if (typeof to !== 'string') return fail(4003, 'to', '"to" must be a string of digits');
  const receiver = to.startsWith('+') ? to.slice(1) : to;
  if (!RECEIVER.test(receiver)) {
    return fail(4003, 'to', '"to" must be 7 to 15 digits including the country code, e.g. 573001234567');
  }

  if (text === undefined || text === null) return fail(4002, 'text', '"text" is required');
  if (typeof text !== 'string') return fail(4005, 'text', '"text" must be a string');
  if (text.trim() === '') return fail(4002, 'text', '"text" must not be empty');
  if (LONE_SURROGATE.test(text)) return fail(4005, 'text', '"text" must be valid UTF-8');
  const length = countCodePoints(text);
  if (length > limits.maxTextLength) {
    return fail(4005, 'text', `"text" is ${length} characters long; the maximum is ${limits.maxTextLength}`);
  }

  let sender: string | undefined;
  if (from !== undefined && from !== null) {
    if (typeof from !== 'string') return fail(4004, 'from', '"from" must be a string');
    const digits = from.startsWith('+') ? from.slice(1) : from;
    if (NUMERIC_SENDER.test(digits)) sender = digits;
    else if (ALPHANUMERIC_SENDER.test(from)) sender = from;
    else {
      return fail(
        4004,
        'from',
        '"from" must be 3 to 15 digits or an alphanumeric sender id of at most 11 characters with a letter',
      );
    }
  }

  if (validFor !== undefined && validFor !== null) {
    const max = limits.maxValiditySeconds;
    if (
      typeof validFor !== 'number' ||
      !Number.isInteger(validFor) ||
      validFor < MIN_VALIDITY_SECONDS ||
      validFor > max
    ) {
      return fail(
        4009,
        'validFor',
        `"validFor" must be a whole number of seconds from ${MIN_VALIDITY_SECONDS} to ${max}`,
      );
    }
  }

  const value: SmsRequest = {
    to: receiver,
    text,
    ...(sender !== undefined && { from: sender }),
    ...(typeof validFor === 'number' && { validFor }),
  };
  return { ok: true, value };
}

function countCodePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
