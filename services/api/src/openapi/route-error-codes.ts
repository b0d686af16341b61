import { type ApiErrorCode, type KaaraiCode, SMS_REQUEST_FIELDS, type SmsRequestField } from '@sms/contracts';

// The codes each route can answer with, by where they come from. The OpenAPI document lists them
// per route and status, and test/openapi-conformance.test.ts provokes every one of them.
const KEY = [4030] as const;
const QUOTA = [4290, 4291] as const;
/** `requireJson` and `jsonBody`: content type, size, bytes and syntax. */
const JSON_BODY = [4000, 4130, 4007] as const;
const IDEMPOTENCY = [4008, 4220] as const;
/** A path whose parameter does not percent-decode (`sendError`). */
const BAD_PATH = [4040] as const;
/** Redis failed or was slower than ENQUEUE_TIMEOUT_MS. */
const REDIS = [5030] as const;
/** Unexpected errors: any route may answer it, no request is meant to provoke it. */
export const UNEXPECTED_ERROR_CODE = 5000;

/** Every code a field of `SMS_REQUEST_FIELDS` is refused with: new fields bring theirs along. */
export const REQUEST_FIELD_CODES: readonly ApiErrorCode[] = [
  ...new Set(
    (Object.values(SMS_REQUEST_FIELDS) as SmsRequestField[]).flatMap((field) => Object.values(field.codes)),
  ),
];

const referenceCode = SMS_REQUEST_FIELDS.reference.codes.invalid;

/** The gateway's error codes of each operation of the document, by `operationId`. */
export const ROUTE_ERROR_CODES = {
  sendSms: [...KEY, ...QUOTA, ...JSON_BODY, ...IDEMPOTENCY, 4006, ...REQUEST_FIELD_CODES, 4032, ...REDIS],
  sendBatch: [...KEY, ...QUOTA, ...JSON_BODY, ...IDEMPOTENCY, 4006, 4011, 4012, 4131, ...REDIS],
  findByReference: [...KEY, 4006, referenceCode, ...REDIS],
  getMessage: [...KEY, ...BAD_PATH, 4041, ...REDIS],
  cancelMessage: [...KEY, ...BAD_PATH, 4041, 4090, 4091, 4092, ...REDIS],
  listDeadLetters: [...KEY, 4010],
  replayDeadLetters: [...KEY, ...JSON_BODY, 4006, 4010, 4009],
  showDeadLetter: [...KEY, ...BAD_PATH, 4042],
  replayDeadLetter: [...KEY, ...BAD_PATH, ...JSON_BODY, 4006, 4009, 4042, 4090],
  deleteDeadLetter: [...KEY, ...BAD_PATH, 4042],
  listGivenUpCallbacks: [...KEY, 4019],
  replayGivenUpCallbacks: [...KEY, ...JSON_BODY, 4006, 4019],
  showGivenUpCallback: [...KEY, ...BAD_PATH, 4043],
  replayGivenUpCallback: [...KEY, ...BAD_PATH, ...JSON_BODY, 4006, 4043],
  queueUi: [...KEY],
} as const satisfies Record<string, readonly ApiErrorCode[]>;

export type GatewayOperation = keyof typeof ROUTE_ERROR_CODES;

/**
 * The routes that read a message Redis may have let go (the send routes: a repeated
 * Idempotency-Key's), which with DATABASE_URL answer 5031 when the archive cannot be asked;
 * without it they never do, and the document leaves 5031 out.
 */
export const ARCHIVE_READING_OPERATIONS: ReadonlySet<GatewayOperation> = new Set([
  'sendSms',
  'sendBatch',
  'getMessage',
  'findByReference',
  'cancelMessage',
  'showDeadLetter',
  'replayDeadLetter',
]);

/** A route's codes in the document: `ROUTE_ERROR_CODES`, 5031 with an archive, and 5000. */
export function documentedErrorCodes(operation: GatewayOperation, archive: boolean): ApiErrorCode[] {
  const archived = archive && ARCHIVE_READING_OPERATIONS.has(operation) ? [5031 as const] : [];
  return [...ROUTE_ERROR_CODES[operation], ...archived, UNEXPECTED_ERROR_CODE];
}

/**
 * Kaarai's codes the Kaarai entry refuses with (kaarai-answer.ts): its own 4001-4003, the fields'
 * 4003 and 4002, 4000 for any other 400 or 413, 4030 for a key, 5030 for the rest (a quota too).
 */
export const KAARAI_ENTRY_ERROR_CODES = [
  4000, 4001, 4002, 4003, 4030, 5030,
] as const satisfies readonly KaaraiCode[];
