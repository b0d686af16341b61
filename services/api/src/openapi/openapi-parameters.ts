// The headers, parameters and security schemes of the OpenAPI document, each written once.

/** Response headers the API sets, by name. */
export const HEADERS = {
  'X-Request-Id': {
    description:
      "The request's id: the caller's X-Request-Id if it is visible ASCII, cut to 128 characters, or a new UUID.",
    schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' },
  },
  Location: {
    description: "Where the message's status is: /v1/sms/{id}.",
    schema: { type: 'string', pattern: '^/v1/sms/[^/]+$' },
  },
  'Idempotency-Replayed': {
    description: 'An earlier request with the same Idempotency-Key was answered with the same message(s).',
    schema: { type: 'string', enum: ['true'] },
  },
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 1 },
  },
  RateLimit: {
    description:
      'What is left of each limit of the client (draft-ietf-httpapi-ratelimit-headers), with CLIENT_QUOTAS.',
    schema: { type: 'string' },
  },
  'RateLimit-Policy': {
    description: "The client's limits (draft-ietf-httpapi-ratelimit-headers), with CLIENT_QUOTAS.",
    schema: { type: 'string' },
  },
  'WWW-Authenticate': {
    description: 'Basic, so that a browser prompts for the admin key.',
    schema: { type: 'string' },
  },
} as const;

export type HeaderName = keyof typeof HEADERS;

export const PARAMETERS = {
  RequestId: {
    name: 'X-Request-Id',
    in: 'header',
    description:
      'Your id for the request, echoed back and logged: visible ASCII (! to ~, no spaces), cut to 128 characters. Without it, or with any other value (non-ASCII, spaces, the header twice): a new UUID.',
    schema: { type: 'string' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    description:
      'Makes a retry safe: a repeat of the same request is answered with the message(s) already accepted, never a second send. 1 to 255 printable ASCII characters; remembered for IDEMPOTENCY_TTL_SECONDS.',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' },
  },
  MessageId: {
    name: 'id',
    in: 'path',
    required: true,
    description: 'The id the message was accepted with.',
    schema: { type: 'string' },
  },
  Reference: {
    name: 'reference',
    in: 'query',
    required: true,
    description: 'The reference the messages were sent with.',
    schema: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

export const SECURITY_SCHEMES = {
  clientKey: { type: 'http', scheme: 'bearer', description: 'A client key of API_KEYS.' },
  adminKey: { type: 'http', scheme: 'bearer', description: 'An operator key of ADMIN_API_KEYS.' },
  kaaraiBasic: {
    type: 'http',
    scheme: 'basic',
    description:
      "As Kaarai's API takes it: the client's name as the user, its key of API_KEYS as the password.",
  },
  adminBasic: {
    type: 'http',
    scheme: 'basic',
    description: 'Any user, an operator key of ADMIN_API_KEYS as the password: what a browser sends.',
  },
} as const;

/** The query parameters of an operator's listing: a time window, then where to continue and how many. */
export function windowAndPageParameters(maxPageSize: number): Record<string, unknown>[] {
  return [
    { name: 'since', in: 'query', description: 'ISO 8601; earliest included.', schema: { type: 'string' } },
    { name: 'until', in: 'query', description: 'ISO 8601; excluded.', schema: { type: 'string' } },
    {
      name: 'cursor',
      in: 'query',
      description: 'nextCursor of the previous page.',
      schema: { type: 'string' },
    },
    {
      name: 'limit',
      in: 'query',
      schema: { type: 'integer', minimum: 1, maximum: maxPageSize, default: 50 },
    },
  ];
}
