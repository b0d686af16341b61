import { z } from 'zod';
import type { ApiErrorCode } from './api-error-codes';
import {
  type CallbackOrigin,
  callbackUrlProblem,
  isCallbackUrlAllowed,
  MAX_CALLBACK_URL_LENGTH,
} from './callback-url';
import { isOneOf } from './is-one-of';
import { normaliseSender, SENDER } from './sender-ids';
import { smsSegmentsOf } from './sms-segments';

/** How soon a message is sent: see `SMS_REQUEST_FIELDS.priority`. */
export const SMS_PRIORITIES = ['high', 'normal', 'bulk'] as const;
export type SmsPriority = (typeof SMS_PRIORITIES)[number];
export const isSmsPriority = isOneOf(SMS_PRIORITIES);

/**
 * What the gateway promises about repeats: `at-least-once` retries a call whose outcome is
 * unknown (never lost, rarely twice); `at-most-once` never sends again once a call may have
 * reached Kaarai (never twice, and `unknown` when it cannot tell). See `SMS_REQUEST_FIELDS.delivery`.
 */
export const DELIVERY_MODES = ['at-least-once', 'at-most-once'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const isDeliveryMode = isOneOf(DELIVERY_MODES);

/** Shortest validity a caller may ask for, in seconds: below it a message could expire in the queue. */
export const MIN_VALIDITY_SECONDS = 30;

/** Limits of the rules that come from the configuration. */
export interface ValidationLimits {
  /** Longest accepted `text`, in Unicode code points. */
  readonly maxTextLength: number;
  /** Longest accepted `validFor`, in seconds. */
  readonly maxValiditySeconds: number;
  /** Farthest `sendAt` ahead of now, in seconds. @defaultValue 2592000 (30 days) */
  readonly maxScheduleSeconds?: number;
  /** Most SMS parts a `text` may take. @defaultValue 10 */
  readonly maxSegments?: number;
  /** Clock that `sendAt` is judged by, in ms since the epoch; replaced in tests. @defaultValue Date.now */
  readonly now?: () => number;
  /**
   * Where a `callbackUrl` may point: the calling client's CALLBACK_ALLOWED_HOSTS.
   * @defaultValue none: every callbackUrl is refused
   */
  readonly callbackOrigins?: readonly CallbackOrigin[];
}

export type ResolvedLimits = Required<ValidationLimits>;

export function resolveLimits(limits: ValidationLimits): ResolvedLimits {
  return {
    maxTextLength: limits.maxTextLength,
    maxValiditySeconds: limits.maxValiditySeconds,
    maxScheduleSeconds: limits.maxScheduleSeconds ?? 2_592_000,
    maxSegments: limits.maxSegments ?? 10,
    now: limits.now ?? Date.now,
    callbackOrigins: limits.callbackOrigins ?? [],
  };
}

/**
 * The codes a field is refused with: `invalid` for a broken rule, `missing` for a required
 * field that is absent; a rule that means something else names its own (`params.reason`).
 */
export interface FieldCodes {
  readonly invalid: ApiErrorCode;
  readonly missing?: ApiErrorCode;
  readonly tooManySegments?: ApiErrorCode;
  readonly notAllowed?: ApiErrorCode;
}

export interface SmsRequestField {
  /** What the field means to a caller, with its unit and default. */
  readonly description: string;
  /** A request without it (or with `null`) is refused; `null` counts as absent for the others. */
  readonly required: boolean;
  readonly codes: FieldCodes;
  /** Its type and rules; each rule's message names the field and says what is expected. */
  readonly schema: (limits: ResolvedLimits) => z.ZodType;
}

// E.164 allows at most 15 digits; country codes never start with 0.
const RECEIVER = /^\+?[1-9][0-9]{6,14}$/;
const LONE_SURROGATE = /\p{Surrogate}/u;
// Unicode's control characters (C0, DEL, C1) except tab, line feed and carriage return, which
// are ordinary in a multi-line SMS. The others have no meaning on a phone, and some harm on the
// way: NUL ends strings in C code, escape sequences drive terminals that display logs.
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
// Printable ASCII, not starting or ending with a space: a reference is read and typed by people.
const REFERENCE = /^[!-~](?:[ -~]{0,62}[!-~])?$/;

const withoutPlus = (value: string) => (value.startsWith('+') ? value.slice(1) : value);

/** The first control character of `text` that an SMS may not hold (all but tab, LF and CR), if any. */
export function controlCharacterIn(text: string): string | undefined {
  return CONTROL.exec(text)?.[0];
}

function countCodePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function textSchema(limits: ResolvedLimits) {
  const max = limits.maxTextLength;
  return z
    .string({ error: '"text" must be a string' })
    .refine((text) => text.trim() !== '', {
      error: '"text" must not be empty',
      params: { reason: 'missing' },
      abort: true,
    })
    .refine((text) => !LONE_SURROGATE.test(text), { error: '"text" must be valid UTF-8', abort: true })
    .superRefine((text, ctx) => {
      const length = countCodePoints(text);
      if (length > max) {
        ctx.addIssue({
          code: 'custom',
          message: `"text" is ${length} characters long; the maximum is ${max}`,
        });
        return;
      }
      const control = controlCharacterIn(text);
      if (control !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `"text" contains the control character ${codePointOf(control)}; only tab, line feed and carriage return are allowed`,
        });
        return;
      }
      const { encoding, segments, firstNonGsm } = smsSegmentsOf(text);
      if (segments > limits.maxSegments) {
        const why =
          firstNonGsm === undefined ? '' : ` (${codePointOf(firstNonGsm)} is not in the GSM alphabet)`;
        ctx.addIssue({
          code: 'custom',
          message: `"text" takes ${segments} SMS parts as ${encoding}${why}; the maximum is ${limits.maxSegments}`,
          params: { reason: 'tooManySegments' },
        });
      }
    })
    .meta({ maxLength: max });
}

function sendAtSchema(limits: ResolvedLimits) {
  const horizon = limits.maxScheduleSeconds;
  return z.iso
    .datetime({
      offset: true,
      error:
        '"sendAt" must be an ISO 8601 date and time with seconds and an offset, e.g. 2030-01-31T09:00:00+01:00',
    })
    .transform((value) => Date.parse(value))
    .superRefine((at, ctx) => {
      const now = limits.now();
      if (at <= now) ctx.addIssue({ code: 'custom', message: '"sendAt" must be in the future' });
      else if (at > now + horizon * 1000) {
        ctx.addIssue({ code: 'custom', message: `"sendAt" must be at most ${horizon} seconds ahead` });
      }
    });
}

function callbackUrlSchema(limits: ResolvedLimits) {
  return z
    .string({ error: '"callbackUrl" must be a string' })
    .superRefine((url, ctx) => {
      const problem = callbackUrlProblem(url);
      if (problem !== undefined) {
        ctx.addIssue({ code: 'custom', message: `"callbackUrl" ${problem}` });
      } else if (!isCallbackUrlAllowed(url, limits.callbackOrigins)) {
        // Checked here, before anything is queued, and again before each delivery: the gateway
        // sits inside the company network and must not be steered to any other host.
        ctx.addIssue({
          code: 'custom',
          message: `"callbackUrl" must point to a host and port on this client's callback allow-list`,
          params: { reason: 'notAllowed' },
        });
      }
    })
    .meta({ format: 'uri', maxLength: MAX_CALLBACK_URL_LENGTH });
}

/**
 * Every field of a `POST /v1/sms` body, in the order they are checked: what it means, the codes
 * it is refused with, and its rules as a zod schema. Validation (`validateSmsRequest`) and the
 * JSON Schema of the body (`smsRequestSchema`) are both made from this table, and nothing else.
 */
export const SMS_REQUEST_FIELDS = {
  to: {
    description:
      'Receiver: 7 to 15 digits with the country code (E.164), e.g. 573001234567; a leading + is dropped.',
    required: true,
    codes: { invalid: 4003, missing: 4001 },
    schema: () =>
      z
        .string({ error: '"to" must be a string of digits' })
        .refine((to) => to !== '', { error: '"to" is required', params: { reason: 'missing' }, abort: true })
        .regex(RECEIVER, {
          error: '"to" must be 7 to 15 digits including the country code, e.g. 573001234567',
        })
        .transform(withoutPlus),
  },
  text: {
    description:
      'The message: not blank, at most MAX_TEXT_LENGTH characters (Unicode code points, default 1600) and MAX_SEGMENTS SMS parts (default 10); tab, line feed and carriage return are the only control characters allowed.',
    required: true,
    codes: { invalid: 4005, missing: 4002, tooManySegments: 4018 },
    schema: textSchema,
  },
  from: {
    description:
      "Sender: a number of 3 to 15 digits (a leading + is dropped) or an alphanumeric sender id of at most 11 characters with a letter; with CLIENT_SENDER_IDS (or DEFAULT_SENDER_IDS) it must be one of the client's sender ids, else 403 (4032). Default: the client's CLIENT_DEFAULT_FROM, or Kaarai picks one.",
    required: false,
    codes: { invalid: 4004 },
    schema: () =>
      z
        .string({ error: '"from" must be a string' })
        .regex(SENDER, {
          error:
            '"from" must be 3 to 15 digits or an alphanumeric sender id of at most 11 characters with a letter',
        })
        .transform(normaliseSender),
  },
  validFor: {
    description:
      'Seconds the message stays worth sending, counted from sendAt (or from acceptance without it), from 30 to MAX_VALIDITY_SECONDS; a message not sent by then never is. Default DEFAULT_VALIDITY_SECONDS.',
    required: false,
    codes: { invalid: 4009 },
    schema: (limits) => {
      const error = `"validFor" must be a whole number of seconds from ${MIN_VALIDITY_SECONDS} to ${limits.maxValiditySeconds}`;
      return z
        .number({ error })
        .int({ error })
        .min(MIN_VALIDITY_SECONDS, { error })
        .max(limits.maxValiditySeconds, {
          error,
        });
    },
  },
  priority: {
    description:
      'high (one-time passwords: sent before every waiting normal and bulk message), normal, or bulk (sent only while no high or normal message waits). Default normal.',
    required: false,
    codes: { invalid: 4015 },
    schema: () => z.enum(SMS_PRIORITIES, { error: `"priority" must be one of ${SMS_PRIORITIES.join(', ')}` }),
  },
  delivery: {
    description:
      "at-least-once (a call whose outcome is unknown is retried: never lost, rarely sent twice) or at-most-once (never sent again once a call may have reached Kaarai: never twice, and the final status unknown when the gateway cannot tell whether Kaarai has it). Default: the client's entry of CLIENT_DELIVERY_MODES, or at-least-once.",
    required: false,
    codes: { invalid: 4020 },
    schema: () => z.enum(DELIVERY_MODES, { error: `"delivery" must be one of ${DELIVERY_MODES.join(', ')}` }),
  },
  sendAt: {
    description:
      'When to send: an ISO 8601 date and time with seconds and an offset (Z for UTC), in the future and at most MAX_SCHEDULE_SECONDS ahead (default 30 days). Default: at once.',
    required: false,
    codes: { invalid: 4016 },
    schema: sendAtSchema,
  },
  reference: {
    description:
      "The caller's own id for the message, 1 to 64 printable ASCII characters, not starting or ending with a space; answered back, and searchable with GET /v1/sms?reference=. Need not be unique.",
    required: false,
    codes: { invalid: 4017 },
    schema: () => {
      const error =
        '"reference" must be 1 to 64 printable ASCII characters, not starting or ending with a space';
      return z.string({ error }).min(1, { error }).max(64, { error }).regex(REFERENCE, { error });
    },
  },
  callbackUrl: {
    description:
      "Where to POST this message's status changes (accepted, accepted_queued, retrying, dead_lettered, failed, expired, canceled, unknown) as signed JSON: an https:// URL of at most 2048 characters, without user, password or fragment, whose host and port are on the client's CALLBACK_ALLOWED_HOSTS (http:// only for hosts listed with http://). Default: the client's entry of CALLBACK_DEFAULT_URLS, or no callbacks.",
    required: false,
    codes: { invalid: 4013, notAllowed: 4014 },
    schema: callbackUrlSchema,
  },
} as const satisfies Record<string, SmsRequestField>;

export type SmsRequestFieldName = keyof typeof SMS_REQUEST_FIELDS;

/**
 * The JSON Schema of the body (`z.toJSONSchema(smsRequestSchema(limits), { io: 'input' })`, as an
 * OpenAPI 3.1 document takes it): every field with its description, and its codes as
 * `x-error-codes`. Rules that JSON Schema cannot state (a blank text, the SMS parts, sendAt in
 * the future) are in the descriptions.
 */
export function smsRequestSchema(limits: ValidationLimits) {
  const resolved = resolveLimits(limits);
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of Object.entries(SMS_REQUEST_FIELDS) as [string, SmsRequestField][]) {
    const schema = field
      .schema(resolved)
      .meta({ description: field.description, 'x-error-codes': field.codes });
    shape[name] = field.required ? schema : schema.optional();
  }
  return z.strictObject(shape);
}

/** `U+0041` for `A`: how a message names a character that may not show. */
export function codePointOf(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
