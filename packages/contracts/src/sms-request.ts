import type { z } from 'zod';
import type { ApiErrorCode } from './api-error-codes';
import {
  type DeliveryMode,
  type FieldCodes,
  resolveLimits,
  SMS_REQUEST_FIELDS,
  type SmsPriority,
  type SmsRequestField,
  type SmsRequestFieldName,
  type ValidationLimits,
} from './sms-request-fields';

/** What a caller POSTs to `/v1/sms`, normalised. `SMS_REQUEST_FIELDS` describes each field. */
export interface SmsRequest {
  /** Receiver: digits including the country code, without `+`. */
  readonly to: string;
  /** Sender: a number (without `+`) or an alphanumeric sender id. */
  readonly from?: string;
  readonly text: string;
  /** Seconds the message stays worth sending, from `sendAt` or acceptance. */
  readonly validFor?: number;
  /** Absent means `normal`. */
  readonly priority?: SmsPriority;
  /** Absent means the client's default (CLIENT_DELIVERY_MODES), or `at-least-once`. */
  readonly delivery?: DeliveryMode;
  /** When to send, in ms since the epoch (the request's ISO 8601 time, parsed). */
  readonly sendAt?: number;
  /** The caller's own id for the message. */
  readonly reference?: string;
  /** Where its status changes are posted, already checked against the client's allow-list. */
  readonly callbackUrl?: string;
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

type FieldSchemas = ReadonlyArray<readonly [SmsRequestFieldName, SmsRequestField, z.ZodType]>;

const FIELD_NAMES = Object.keys(SMS_REQUEST_FIELDS) as SmsRequestFieldName[];
const KNOWN_FIELDS: ReadonlySet<string> = new Set(FIELD_NAMES);

// The configuration hands the same limits object to every request: its schemas are built once.
const schemasByLimits = new WeakMap<ValidationLimits, FieldSchemas>();

function schemasFor(limits: ValidationLimits): FieldSchemas {
  let schemas = schemasByLimits.get(limits);
  if (!schemas) {
    const resolved = resolveLimits(limits);
    schemas = FIELD_NAMES.map((name) => {
      const field: SmsRequestField = SMS_REQUEST_FIELDS[name];
      return [name, field, field.schema(resolved)] as const;
    });
    schemasByLimits.set(limits, schemas);
  }
  return schemas;
}

function fail(code: ApiErrorCode, field: string | undefined, message: string): ValidationResult {
  return { ok: false, error: field === undefined ? { code, message } : { code, field, message } };
}

/**
 * Checks a parsed JSON body against `SMS_REQUEST_FIELDS`, field by field in the table's order,
 * after refusing unknown fields; the first broken rule is reported with its field and code.
 */
export function validateSmsRequest(body: unknown, limits: ValidationLimits): ValidationResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(4007, undefined, 'the body must be a JSON object with "to" and "text"');
  }
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.has(key))
      return fail(4006, key, `unknown field "${key}"; allowed: ${FIELD_NAMES.join(', ')}`);
  }

  const value: Record<string, unknown> = {};
  for (const [name, field, schema] of schemasFor(limits)) {
    const given = input[name];
    if (given === undefined || given === null) {
      if (field.required)
        return fail(field.codes.missing ?? field.codes.invalid, name, `"${name}" is required`);
      continue;
    }
    const parsed = schema.safeParse(given);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      const reason = (issue?.code === 'custom' ? issue.params?.reason : undefined) as
        | keyof FieldCodes
        | undefined;
      const code = (reason && field.codes[reason]) ?? field.codes.invalid;
      return fail(code, name, issue?.message ?? `"${name}" is invalid`);
    }
    value[name] = parsed.data;
  }
  return { ok: true, value: value as unknown as SmsRequest };
}
