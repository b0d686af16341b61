import type { ApiErrorCode, KaaraiCode } from '@sms/contracts';
import { DEAD_LETTER_REASONS, MAX_PAGE_SIZE } from '@sms/dead-letters';
import { givenUpCallbackPaths } from './given-up-callback-paths';
import {
  HEADERS,
  type HeaderName,
  PARAMETERS,
  SECURITY_SCHEMES,
  windowAndPageParameters,
} from './openapi-parameters';
import {
  componentSchemas,
  errorBodyWith,
  httpStatusOf,
  type JsonSchema,
  kaaraiAnswerWith,
  type RequestLimits,
} from './openapi-schemas';
import type { OperationSpec } from './operation-spec';
import { documentedErrorCodes, type GatewayOperation, KAARAI_ENTRY_ERROR_CODES } from './route-error-codes';

/** What the document says of the running configuration. */
export interface ApiDocumentSettings extends RequestLimits {
  readonly maxBodyBytes: number;
  readonly maxBatchBodyBytes: number;
  /** Whether `/v1/admin` is mounted (ADMIN_API_KEYS). */
  readonly adminRoutes: boolean;
  /** Whether the queue UI is mounted at `/admin/queues`. */
  readonly queueUi: boolean;
  /** Whether status reads fall back to the PostgreSQL archive (DATABASE_URL): they may answer 5031. */
  readonly archive?: boolean;
}

export type OpenApiDocument = Record<string, unknown> & { readonly paths: Record<string, PathItem> };
type PathItem = Record<string, Operation>;
type Operation = Record<string, unknown> & { readonly responses: Record<string, Response> };
type Response = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const param = (name: keyof typeof PARAMETERS) => ({ $ref: `#/components/parameters/${name}` });

/** Response headers, each marked required or not for this response. */
function headers(required: readonly HeaderName[], optional: readonly HeaderName[] = []) {
  const entries = [
    ...required.map((name) => [name, { ...HEADERS[name], required: true }] as const),
    ...optional.map((name) => [name, HEADERS[name]] as const),
  ];
  return entries.length === 0 ? {} : { headers: Object.fromEntries(entries) };
}

const QUOTA_HEADERS: readonly HeaderName[] = ['RateLimit', 'RateLimit-Policy'];

/**
 * The refusals of a gateway route, one response per HTTP status, each with the codes the route
 * answers with that status. Every such answer carries X-Request-Id; 429 and 503 say when to retry.
 */
function errorResponses(codesOfRoute: readonly ApiErrorCode[]): Record<string, Response> {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of codesOfRoute) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, Response> = {};
  for (const [status, unsorted] of [...byStatus].sort(([a], [b]) => a - b)) {
    const codes = unsorted.sort((a, b) => a - b);
    const required: HeaderName[] = ['X-Request-Id'];
    if (status === 429) required.push('Retry-After', ...QUOTA_HEADERS);
    if (status === 503) required.push('Retry-After');
    responses[String(status)] = {
      description: `Codes ${codes.join(', ')}.`,
      ...headers(required),
      content: json(errorBodyWith(codes)),
    };
  }
  return responses;
}

function kaaraiRefusals(): Record<string, Response> {
  const byStatus = new Map<number, KaaraiCode[]>();
  for (const code of KAARAI_ENTRY_ERROR_CODES) {
    const status = code === 4030 ? 403 : code === 5030 ? 503 : 400;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: `Kaarai's codes ${codes.join(', ')}, with Kaarai's texts.`,
        ...headers(['X-Request-Id'], status === 503 ? ['Retry-After'] : []),
        content: json(kaaraiAnswerWith(codes)),
      },
    ]),
  );
}

function gatewayOperation(operationId: GatewayOperation, spec: OperationSpec, archive = false): Operation {
  const codes = documentedErrorCodes(operationId, archive);
  return {
    operationId,
    summary: spec.summary,
    ...(spec.description && { description: spec.description }),
    tags: spec.tags,
    security: spec.security.map((scheme) => ({ [scheme]: [] })),
    parameters: [param('RequestId'), ...(spec.parameters ?? [])],
    ...(spec.requestBody !== undefined && { requestBody: spec.requestBody }),
    'x-error-codes': codes,
    responses: { ...spec.success, ...errorResponses(codes) },
  };
}

/** `gatewayOperation` as the running configuration answers it. */
function operationsOf(
  settings: ApiDocumentSettings,
): (operationId: GatewayOperation, spec: OperationSpec) => Operation {
  return (operationId, spec) => gatewayOperation(operationId, spec, settings.archive === true);
}

function plainOperation(
  operationId: string,
  summary: string,
  responses: Record<string, Response>,
): Operation {
  return { operationId, summary, tags: ['operations'], security: [], responses };
}

function messagePaths(settings: ApiDocumentSettings): Record<string, PathItem> {
  const operation = operationsOf(settings);
  const client = ['clientKey'];
  const sendHeaders = (required: HeaderName[]) =>
    headers(required, ['Idempotency-Replayed', ...QUOTA_HEADERS]);
  const statusAnswer = (description: string) => ({
    '200': { description, ...headers(['X-Request-Id']), content: json(ref('MessageStatus')) },
  });
  return {
    '/v1/sms': {
      post: operation('sendSms', {
        summary: 'Send an SMS',
        description: `Answers 202 once Redis holds the message. Bodies up to ${settings.maxBodyBytes} bytes. Rules JSON Schema cannot state (a blank text, the SMS parts, sendAt in the future) are in the field descriptions; each field lists its codes in x-error-codes.`,
        tags: ['messages'],
        security: client,
        parameters: [param('IdempotencyKey')],
        requestBody: { required: true, content: json(ref('SmsRequest')) },
        success: {
          '202': {
            description: 'Accepted: the message is queued (or scheduled, with sendAt).',
            ...sendHeaders(['X-Request-Id', 'Location']),
            content: json(ref('AcceptedMessage')),
          },
        },
      }),
      get: operation('findByReference', {
        summary: "Find the client's messages by their reference",
        tags: ['messages'],
        security: client,
        parameters: [param('Reference')],
        success: {
          '200': {
            description: 'The messages with that reference, most recently accepted first; [] when none.',
            ...headers(['X-Request-Id']),
            content: json(ref('ReferenceLookup')),
          },
        },
      }),
    },
    '/v1/sms/batch': {
      post: operation('sendBatch', {
        summary: 'Send many SMS in one request',
        description: `Up to ${settings.maxBatchMessages} messages and ${settings.maxBatchBodyBytes} bytes. Each message is judged as POST /v1/sms judges it; 202 when at least one is accepted, 400 (4012) when none is.`,
        tags: ['messages'],
        security: client,
        parameters: [param('IdempotencyKey')],
        requestBody: { required: true, content: json(ref('SmsBatchRequest')) },
        success: {
          '202': {
            description: 'Per message, in order, its answer or its refusal.',
            ...sendHeaders(['X-Request-Id']),
            content: json(ref('BatchAnswer')),
          },
        },
      }),
    },
    '/v1/sms/{id}': {
      get: operation('getMessage', {
        summary: "A message's status",
        tags: ['messages'],
        security: client,
        parameters: [param('MessageId')],
        success: statusAnswer('The status of the message.'),
      }),
      delete: operation('cancelMessage', {
        summary: 'Cancel a message no attempt was made for yet',
        tags: ['messages'],
        security: client,
        parameters: [param('MessageId')],
        success: statusAnswer('Canceled: its status view, status canceled.'),
      }),
    },
    '/kaarai/api/v1/sms/send': {
      post: {
        operationId: 'kaaraiSend',
        summary: "Send an SMS through Kaarai's own API",
        description:
          "For clients written for Kaarai: Basic authentication (client name and API key), Kaarai's body, answers in Kaarai's codes and texts.",
        tags: ['kaarai'],
        security: [{ kaaraiBasic: [] }],
        parameters: [param('RequestId')],
        requestBody: { required: true, content: json(ref('SmsRequest')) },
        'x-error-codes': [...KAARAI_ENTRY_ERROR_CODES],
        responses: {
          '202': {
            description: 'Queued for later delivery (2021).',
            ...headers(['X-Request-Id', 'Location'], QUOTA_HEADERS),
            content: json(kaaraiAnswerWith([2021])),
          },
          ...kaaraiRefusals(),
        },
      },
    },
  };
}

function adminPaths(settings: ApiDocumentSettings): Record<string, PathItem> {
  const operation = operationsOf(settings);
  const admin = ['adminKey'];
  const tags = ['dead letters'];
  const ok = (description: string, schema: string) => ({
    '200': { description, ...headers(['X-Request-Id']), content: json(ref(schema)) },
  });
  const filter = [
    { name: 'reason', in: 'query', schema: { type: 'string', enum: [...DEAD_LETTER_REASONS] } },
    ...windowAndPageParameters(MAX_PAGE_SIZE),
  ];
  return {
    '/v1/admin/dead-letters': {
      get: operation('listDeadLetters', {
        summary: 'List dead letters, newest first',
        tags,
        security: admin,
        parameters: filter,
        success: ok('One page.', 'DeadLetterPage'),
      }),
    },
    '/v1/admin/dead-letters/replay': {
      post: operation('replayDeadLetters', {
        summary: 'Replay every dead letter a filter selects ({} replays all)',
        tags,
        security: admin,
        requestBody: { required: true, content: json(ref('ReplayDeadLettersRequest')) },
        success: ok('What was replayed.', 'DeadLettersReplayed'),
      }),
    },
    '/v1/admin/dead-letters/{id}': {
      get: operation('showDeadLetter', {
        summary: 'A dead letter in full: payload, attempts, status',
        tags,
        security: admin,
        parameters: [param('MessageId')],
        success: ok('The dead letter.', 'DeadLetterDetails'),
      }),
      delete: operation('deleteDeadLetter', {
        summary: 'Drop a dead letter (its status record stays)',
        tags,
        security: admin,
        parameters: [param('MessageId')],
        success: { '204': { description: 'Dropped.', ...headers(['X-Request-Id']) } },
      }),
    },
    '/v1/admin/dead-letters/{id}/replay': {
      post: operation('replayDeadLetter', {
        summary: 'Send a dead letter again, at most once however often it is replayed',
        tags,
        security: admin,
        parameters: [param('MessageId')],
        requestBody: { required: false, content: json(ref('ReplayDeadLetterRequest')) },
        success: ok('Back on the send queue.', 'DeadLetterReplayed'),
      }),
    },
    ...givenUpCallbackPaths(operation, ok, (schema, required) => ({ required, content: json(ref(schema)) })),
  };
}

function queueUiPath(): Record<string, PathItem> {
  const operation = gatewayOperation('queueUi', {
    summary: 'The queue UI (bull-board, read-only)',
    description: 'An admin key as a bearer token, or as the password of Basic authentication with any user.',
    tags: ['operations'],
    security: ['adminKey', 'adminBasic'],
    success: {
      '200': { description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } },
    },
  });
  const unauthorized = operation.responses['401']!;
  operation.responses['401'] = {
    ...unauthorized,
    headers: {
      ...(unauthorized.headers as object),
      'WWW-Authenticate': { ...HEADERS['WWW-Authenticate'], required: true },
    },
  };
  return { '/admin/queues': { get: operation } };
}

function operationPaths(): Record<string, PathItem> {
  const status = (values: JsonSchema) =>
    json({ type: 'object', properties: values, required: Object.keys(values), additionalProperties: false });
  return {
    '/healthz': {
      get: plainOperation('healthz', 'Liveness: 200 while the process runs', {
        '200': { description: 'Running.', content: status({ status: { const: 'ok' } }) },
      }),
    },
    '/readyz': {
      get: plainOperation('readyz', 'Readiness: 200 while Redis answers PING and takes a write in time', {
        '200': {
          description: 'Ready.',
          content: status({ status: { const: 'ready' }, redis: { const: 'ok' } }),
        },
        '503': {
          description:
            'Redis does not answer, or refuses writes (maxmemory, a full disk, a read-only replica): `reason` says which.',
          content: status({
            status: { const: 'unavailable' },
            redis: { type: 'string' },
            reason: { type: 'string' },
          }),
        },
      }),
    },
    '/metrics': {
      get: plainOperation('metrics', 'Prometheus metrics', {
        '200': {
          description: "Prometheus' text format.",
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      }),
    },
    '/openapi.json': {
      get: plainOperation('openapi', 'This document', {
        '200': { description: 'OpenAPI 3.1.', content: json({ type: 'object' }) },
      }),
    },
    '/docs': {
      get: plainOperation('docs', 'This document as a readable page', {
        '200': {
          description: 'An HTML page; works offline.',
          content: { 'text/html': { schema: { type: 'string' } } },
        },
      }),
    },
  };
}

/**
 * The API's OpenAPI 3.1 document, made from the schemas the API validates with and answers by,
 * and from the running configuration's limits. Built once at start-up.
 */
export function buildOpenApiDocument(settings: ApiDocumentSettings): OpenApiDocument {
  return {
    openapi: '3.1.1',
    info: {
      title: 'SMS gateway',
      version: '1',
      description: [
        'Takes SMS over HTTP, answers at once with a message id, and delivers them to Kaarai.',
        `This gateway's limits: a text of at most ${settings.maxTextLength} characters and ${settings.maxSegments ?? 10} SMS parts; validFor at most ${settings.maxValiditySeconds} s; sendAt at most ${settings.maxScheduleSeconds ?? 2_592_000} s ahead; bodies of ${settings.maxBodyBytes} bytes; batches of ${settings.maxBatchMessages} messages and ${settings.maxBatchBodyBytes} bytes.`,
        'Any other path answers 404 with code 4040.',
        '/metrics, /v1/admin and /admin/queues are served on the internal port (ADMIN_PORT) only, never on the port clients use (API_PORT), which answers them 404 with code 4040.',
      ].join('\n\n'),
    },
    tags: [
      { name: 'messages' },
      { name: 'kaarai', description: "Kaarai's send-SMS API, so that a Kaarai client changes only its URL." },
      ...(settings.adminRoutes
        ? [{ name: 'dead letters', description: 'Operators only: ADMIN_API_KEYS.' }]
        : []),
      { name: 'operations' },
    ],
    paths: {
      ...messagePaths(settings),
      ...(settings.adminRoutes ? adminPaths(settings) : {}),
      ...(settings.queueUi ? queueUiPath() : {}),
      ...operationPaths(),
    },
    components: {
      schemas: componentSchemas(settings),
      parameters: PARAMETERS,
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
