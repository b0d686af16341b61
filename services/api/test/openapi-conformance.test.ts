import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { CallbackOutbox, type CallbackQueue, createCallbackQueue, GivenUpCallbacks } from '@sms/callbacks';
import { type MessageStatus, SMS_REQUEST_FIELDS, type SmsRequestField } from '@sms/contracts';
import { DeadLetters } from '@sms/dead-letters';
import {
  createDeadLetterQueue,
  createProducerConnection,
  createSmsQueue,
  type DeadLetterQueue,
  deadLetter,
  type SmsQueue,
  waitForRedis,
} from '@sms/queue';
import { type AttemptRecord, StatusStore } from '@sms/status-store';
import { startRedis, type TestRedis } from '@sms/testing';
import type Redis from 'ioredis';
import pino from 'pino';
import { createAdminRouter } from '../src/create-admin-router';
import { UNEXPECTED_ERROR_CODE } from '../src/openapi/route-error-codes';
import { type CheckedAnswer, OpenApiChecker } from './check-against-openapi';
import { ADMIN_KEY, baseUrlFor, OTHER_KEY, type RunningApi, startApi, TEST_KEY } from './start-api';

// Every route's real answers, success and every error code, checked against the document the
// API serves. The rows below provoke each answer; at the end, every status and every code the
// document lists for a route must have been seen, so a code the document leaves out fails a row
// (its status or code is not in the schema) and a code no row provokes fails the last test.
// 5000 (an unexpected error) is documented on every route and provoked by none.

const DAILY_KEY = 'daily-key-0123456789abcdef';
const RAPID_KEY = 'rapid-key-0123456789abcdef';
const TO = '573001234567';
const MESSAGE = { to: TO, text: 'conformance' };
const LIMITS = { maxSegments: 2, maxBatchMessages: 3, maxBatchBodyBytes: 8_192, redisTimeoutMs: 200 };
// Values that break a field's rule other than its `invalid` one, by the rule's reason.
const VALUE_FOR_REASON: Readonly<Record<string, unknown>> = {
  tooManySegments: 'ж'.repeat(200),
  notAllowed: 'https://callbacks.example.com/sms',
};

let redis: TestRedis;
let connection: Redis;
let api: RunningApi;
let smsQueue: SmsQueue;
let deadLetterQueue: DeadLetterQueue;
let statusStore: StatusStore;
let callbackQueue: CallbackQueue;
let outbox: CallbackOutbox;
let givenUpCallbacks: GivenUpCallbacks;
let checker: OpenApiChecker;
let document: Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>> };
const seen: CheckedAnswer[] = [];

beforeAll(async () => {
  redis = await startRedis();
  connection = createProducerConnection(redis.target);
  connection.on('error', () => {});
  await waitForRedis(connection, { warn: () => {} });
  const prefix = `oa${randomUUID().slice(0, 8)}`;
  smsQueue = createSmsQueue({ connection, prefix });
  deadLetterQueue = createDeadLetterQueue({ connection, prefix });
  statusStore = new StatusStore(connection, { prefix });
  const deadLetters = new DeadLetters({
    deadLetterQueue,
    smsQueue,
    statusStore,
    redis: connection,
    prefix,
    sendAttempts: 3,
  });
  callbackQueue = createCallbackQueue({ connection, prefix });
  outbox = new CallbackOutbox(connection, { prefix, retentionSeconds: 3600 });
  givenUpCallbacks = new GivenUpCallbacks(connection, {
    prefix,
    retentionSeconds: 3600,
    outboxRetentionSeconds: 3600,
  });
  api = await startApi(
    redis.url,
    {
      ...LIMITS,
      apiKeys: new Map([
        [TEST_KEY, 'billing'],
        [OTHER_KEY, 'marketing'],
        [DAILY_KEY, 'daily'],
        [RAPID_KEY, 'rapid'],
      ]),
      senderIds: { byClient: new Map([['marketing', [{ kind: 'exact', sender: 'ACME' }]]]) },
    },
    prefix,
    {
      adminRouter: createAdminRouter({
        deadLetters,
        givenUpCallbacks,
        callbackQueue,
        callbackJob: { attempts: 2 },
        logger: pino({ level: 'silent' }),
      }),
      queueUi: true,
      quotas: {
        quotas: new Map([
          ['daily', { messagesPerDay: 1 }],
          ['rapid', { requestsPerSecond: 1 }],
        ]),
        defaultQuota: {},
      },
    },
  );
  document = (await (await fetch(`${api.url}/openapi.json`)).json()) as typeof document;
  checker = new OpenApiChecker(document);
});

afterAll(async () => {
  await api?.stop();
  await Promise.all([smsQueue?.close(), deadLetterQueue?.close(), callbackQueue?.close()]);
  connection?.disconnect();
  await redis?.stop();
});

interface Call {
  readonly method: string;
  readonly path: string;
  readonly res: Response;
}

interface CallOptions {
  /** A key as a bearer token, `null` for none. @defaultValue TEST_KEY */
  readonly key?: string | null;
  readonly headers?: Record<string, string>;
  /** Sent as JSON unless a string. */
  readonly body?: unknown;
}

async function call(method: string, path: string, options: CallOptions = {}): Promise<Call> {
  const key = options.key === undefined ? TEST_KEY : options.key;
  const headers: Record<string, string> = {
    ...(key !== null && { authorization: `Bearer ${key}` }),
    ...(options.body !== undefined && { 'content-type': 'application/json' }),
    ...options.headers,
  };
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const res = await fetch(baseUrlFor(api, path) + path, {
    method,
    headers,
    ...(body !== undefined && { body }),
  });
  return { method, path, res };
}

const send = (body: unknown, options: CallOptions = {}) => call('POST', '/v1/sms', { body, ...options });
const batch = (body: unknown, options: CallOptions = {}) =>
  call('POST', '/v1/sms/batch', { body, ...options });
const kaarai = (body: unknown, options: CallOptions = {}) =>
  call('POST', '/kaarai/api/v1/sms/send', {
    key: null,
    body,
    ...options,
    headers: {
      authorization: `Basic ${Buffer.from(`billing:${TEST_KEY}`).toString('base64')}`,
      ...options.headers,
    },
  });
const admin = (method: string, path: string, options: CallOptions = {}) =>
  call(method, `/v1/admin/dead-letters${path}`, { key: ADMIN_KEY, ...options });

/** The second of two requests: the first uses up a quota. */
async function twice(request: () => Promise<Call>): Promise<Call> {
  await (await request()).res.arrayBuffer();
  return request();
}

/** A message accepted for the test client, by id. */
async function accepted(body: Record<string, unknown> = MESSAGE): Promise<string> {
  const { res } = await send(body);
  return ((await res.json()) as { id: string }).id;
}

/** A request made while Redis answers nothing, slower than the API's timeout. */
async function whileRedisPaused(request: () => Promise<Call>): Promise<Call> {
  await connection.call('CLIENT', 'PAUSE', '600', 'ALL');
  try {
    return await request();
  } finally {
    await connection.ping();
  }
}

/** A status record after one attempt, as the worker writes it. */
function recordStatus(id: string, status: MessageStatus, attempt?: AttemptRecord) {
  const update = { status, attempts: 1, client: 'billing', to: '5730******67', createdAt: Date.now() };
  return statusStore.write(id, update, attempt);
}

/** A message in the dead-letter queue with its status record, as the worker leaves it. */
async function putAside(): Promise<string> {
  const id = randomUUID();
  const at = Date.now();
  const rejected = { code: 4031, message: 'Not routable', attempts: 1 };
  await recordStatus(id, 'dead_lettered', {
    attempt: 1,
    code: 4031,
    outcome: 'rejected',
    message: rejected.message,
    at,
  });
  await deadLetter(deadLetterQueue, id, {
    ...MESSAGE,
    client: 'billing',
    acceptedAt: at,
    reason: 'rejected',
    ...rejected,
    deadLetteredAt: at,
  });
  return id;
}

/** A status callback given up after its last attempt, as the callback worker leaves it; its event id. */
async function giveUpCallback(): Promise<string> {
  const messageId = randomUUID();
  await outbox.push(messageId, {
    client: 'billing',
    url: 'https://hooks.billing.internal/sms',
    status: 'accepted',
    code: 2020,
    at: Date.now(),
  });
  const head = (await outbox.head(messageId))!;
  await givenUpCallbacks.giveUp(messageId, head, { lastError: 'the receiver answered 503', attempts: 2 });
  return head.event.id;
}
const callbacks = (method: string, path: string, options: CallOptions = {}) =>
  call(method, `/v1/admin/callbacks${path}`, { key: ADMIN_KEY, ...options });

const BAD_ESCAPE = '%E0%A4%A';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const bigBody = (bytes: number) => JSON.stringify({ ...MESSAGE, pad: 'x'.repeat(bytes) });

type Row = readonly [name: string, request: () => Promise<Call>];

/** Each field's codes, provoked from the field table itself: a new field brings its rows. */
function fieldRows(): Row[] {
  return (Object.entries(SMS_REQUEST_FIELDS) as [string, SmsRequestField][]).flatMap(([name, field]) =>
    Object.entries(field.codes).map(([reason, code]): Row => {
      const body: Record<string, unknown> = { ...MESSAGE };
      if (reason === 'missing') delete body[name];
      // Every field is a string or a number: an object is never valid.
      else body[name] = reason === 'invalid' ? {} : VALUE_FOR_REASON[reason];
      return [`sendSms ${code} (${name} ${reason})`, () => send(body)];
    }),
  );
}

const ROWS: readonly Row[] = [
  ['sendSms 202', () => send({ ...MESSAGE, reference: 'conformance-ref', priority: 'high' })],
  [
    'sendSms 202 repeated',
    () => twice(() => send(MESSAGE, { headers: { 'idempotency-key': 'send-repeat' } })),
  ],
  ['sendSms 4030', () => send(MESSAGE, { key: null })],
  ['sendSms 4290', () => twice(() => send(MESSAGE, { key: RAPID_KEY }))],
  ['sendSms 4291', () => twice(() => send(MESSAGE, { key: DAILY_KEY }))],
  ['sendSms 4000', () => send(JSON.stringify(MESSAGE), { headers: { 'content-type': 'text/plain' } })],
  ['sendSms 4130', () => send(bigBody(5_000))],
  ['sendSms 4007', () => send('{"to":')],
  ['sendSms 4008', () => send(MESSAGE, { headers: { 'idempotency-key': 'k'.repeat(256) } })],
  [
    'sendSms 4220',
    async () => {
      await send(MESSAGE, { headers: { 'idempotency-key': 'send-conflict' } });
      return send({ ...MESSAGE, text: 'other' }, { headers: { 'idempotency-key': 'send-conflict' } });
    },
  ],
  ['sendSms 4006', () => send({ ...MESSAGE, colour: 'blue' })],
  ['sendSms 4032', () => send({ ...MESSAGE, from: 'CRM' }, { key: OTHER_KEY })],
  ...fieldRows(),
  ['sendSms 5030', () => whileRedisPaused(() => send(MESSAGE))],

  ['sendBatch 202', () => batch({ messages: [MESSAGE, { to: '12', text: 'refused' }] })],
  [
    'sendBatch 202 repeated',
    () => twice(() => batch({ messages: [MESSAGE] }, { headers: { 'idempotency-key': 'batch-repeat' } })),
  ],
  ['sendBatch 4030', () => batch({ messages: [MESSAGE] }, { key: null })],
  ['sendBatch 4290', () => twice(() => batch({ messages: [MESSAGE] }, { key: RAPID_KEY }))],
  ['sendBatch 4291', () => batch({ messages: [MESSAGE, MESSAGE] }, { key: DAILY_KEY })],
  [
    'sendBatch 4000',
    () => batch(JSON.stringify({ messages: [MESSAGE] }), { headers: { 'content-type': 'text/plain' } }),
  ],
  ['sendBatch 4130', () => batch(`{"messages":[${JSON.stringify(MESSAGE)}]}${' '.repeat(9_000)}`)],
  ['sendBatch 4007', () => batch('{"messages":')],
  ['sendBatch 4008', () => batch({ messages: [MESSAGE] }, { headers: { 'idempotency-key': '' } })],
  [
    'sendBatch 4220',
    async () => {
      await batch({ messages: [MESSAGE] }, { headers: { 'idempotency-key': 'batch-conflict' } });
      return batch({ messages: [MESSAGE, MESSAGE] }, { headers: { 'idempotency-key': 'batch-conflict' } });
    },
  ],
  ['sendBatch 4006', () => batch({ messages: [MESSAGE], colour: 'blue' })],
  ['sendBatch 4011', () => batch({ messages: [] })],
  ['sendBatch 4012', () => batch({ messages: [{ to: '12', text: 'refused' }] })],
  ['sendBatch 4131', () => batch({ messages: [MESSAGE, MESSAGE, MESSAGE, MESSAGE] })],
  ['sendBatch 5030', () => whileRedisPaused(() => batch({ messages: [MESSAGE] }))],

  ['findByReference 200', () => call('GET', '/v1/sms?reference=conformance-ref')],
  ['findByReference 4030', () => call('GET', '/v1/sms?reference=conformance-ref', { key: null })],
  ['findByReference 4006', () => call('GET', '/v1/sms?reference=conformance-ref&page=2')],
  ['findByReference 4017', () => call('GET', '/v1/sms')],
  ['findByReference 5030', () => whileRedisPaused(() => call('GET', '/v1/sms?reference=conformance-ref'))],

  ['getMessage 200', async () => call('GET', `/v1/sms/${await accepted()}`)],
  ['getMessage 4030', () => call('GET', `/v1/sms/${UNKNOWN_ID}`, { key: null })],
  ['getMessage 4040', () => call('GET', `/v1/sms/${BAD_ESCAPE}`)],
  ['getMessage 4041', () => call('GET', `/v1/sms/${UNKNOWN_ID}`)],
  ['getMessage 5030', () => whileRedisPaused(() => call('GET', `/v1/sms/${UNKNOWN_ID}`))],

  ['cancelMessage 200', async () => call('DELETE', `/v1/sms/${await accepted()}`)],
  ['cancelMessage 4030', () => call('DELETE', `/v1/sms/${UNKNOWN_ID}`, { key: null })],
  ['cancelMessage 4040', () => call('DELETE', `/v1/sms/${BAD_ESCAPE}`)],
  ['cancelMessage 4041', () => call('DELETE', `/v1/sms/${UNKNOWN_ID}`)],
  [
    'cancelMessage 4090',
    async () => {
      // A status record without its job: a replay is putting the message back.
      const id = randomUUID();
      await recordStatus(id, 'queued');
      return call('DELETE', `/v1/sms/${id}`);
    },
  ],
  [
    'cancelMessage 4091',
    async () => {
      const id = await accepted();
      await recordStatus(id, 'sending');
      return call('DELETE', `/v1/sms/${id}`);
    },
  ],
  [
    'cancelMessage 4092',
    async () => {
      const id = await accepted();
      return twice(() => call('DELETE', `/v1/sms/${id}`));
    },
  ],
  ['cancelMessage 5030', () => whileRedisPaused(() => call('DELETE', `/v1/sms/${UNKNOWN_ID}`))],

  ['kaaraiSend 202', () => kaarai(MESSAGE)],
  ['kaaraiSend 4000', () => kaarai(JSON.stringify(MESSAGE), { headers: { 'content-type': 'text/plain' } })],
  ['kaaraiSend 4001', () => kaarai({ text: 'no receiver' })],
  ['kaaraiSend 4002', () => kaarai({ to: TO })],
  ['kaaraiSend 4003', () => kaarai({ to: '12', text: 'bad receiver' })],
  [
    'kaaraiSend 4030',
    () =>
      kaarai(MESSAGE, {
        headers: { authorization: `Basic ${Buffer.from('billing:wrong').toString('base64')}` },
      }),
  ],
  ['kaaraiSend 5030', () => whileRedisPaused(() => kaarai(MESSAGE))],

  [
    'listDeadLetters 200',
    async () => {
      await putAside();
      return admin('GET', '?limit=10');
    },
  ],
  ['listDeadLetters 4030', () => admin('GET', '', { key: TEST_KEY })],
  ['listDeadLetters 4010', () => admin('GET', '?reason=lost')],

  [
    'replayDeadLetters 200',
    async () => {
      await putAside();
      return admin('POST', '/replay', { body: { reason: 'rejected' } });
    },
  ],
  ['replayDeadLetters 4030', () => admin('POST', '/replay', { key: TEST_KEY, body: {} })],
  [
    'replayDeadLetters 4000',
    () => admin('POST', '/replay', { body: '{}', headers: { 'content-type': 'text/plain' } }),
  ],
  ['replayDeadLetters 4130', () => admin('POST', '/replay', { body: bigBody(5_000) })],
  ['replayDeadLetters 4007', () => admin('POST', '/replay')],
  ['replayDeadLetters 4006', () => admin('POST', '/replay', { body: { colour: 'blue' } })],
  ['replayDeadLetters 4010', () => admin('POST', '/replay', { body: { reason: 'lost' } })],
  ['replayDeadLetters 4009', () => admin('POST', '/replay', { body: { validFor: 1 } })],

  ['showDeadLetter 200', async () => admin('GET', `/${await putAside()}`)],
  ['showDeadLetter 4030', () => admin('GET', `/${UNKNOWN_ID}`, { key: TEST_KEY })],
  ['showDeadLetter 4040', () => admin('GET', `/${BAD_ESCAPE}`)],
  ['showDeadLetter 4042', () => admin('GET', `/${UNKNOWN_ID}`)],

  [
    'replayDeadLetter 200',
    async () => admin('POST', `/${await putAside()}/replay`, { body: { validFor: 300 } }),
  ],
  ['replayDeadLetter 4030', () => admin('POST', `/${UNKNOWN_ID}/replay`, { key: TEST_KEY })],
  ['replayDeadLetter 4040', () => admin('POST', `/${BAD_ESCAPE}/replay`)],
  [
    'replayDeadLetter 4000',
    () => admin('POST', `/${UNKNOWN_ID}/replay`, { body: '{}', headers: { 'content-type': 'text/plain' } }),
  ],
  ['replayDeadLetter 4130', () => admin('POST', `/${UNKNOWN_ID}/replay`, { body: bigBody(5_000) })],
  ['replayDeadLetter 4007', () => admin('POST', `/${UNKNOWN_ID}/replay`, { body: '[' })],
  ['replayDeadLetter 4006', () => admin('POST', `/${UNKNOWN_ID}/replay`, { body: { reason: 'rejected' } })],
  ['replayDeadLetter 4009', () => admin('POST', `/${UNKNOWN_ID}/replay`, { body: { validFor: 'soon' } })],
  ['replayDeadLetter 4042', () => admin('POST', `/${UNKNOWN_ID}/replay`)],
  [
    'replayDeadLetter 4090',
    async () => {
      // The send job that dead-lettered it is still finishing.
      const id = await putAside();
      await smsQueue.add('send', { ...MESSAGE, client: 'billing', acceptedAt: 0 }, { jobId: id });
      return admin('POST', `/${id}/replay`);
    },
  ],

  ['deleteDeadLetter 204', async () => admin('DELETE', `/${await putAside()}`)],
  ['deleteDeadLetter 4030', () => admin('DELETE', `/${UNKNOWN_ID}`, { key: TEST_KEY })],
  ['deleteDeadLetter 4040', () => admin('DELETE', `/${BAD_ESCAPE}`)],
  ['deleteDeadLetter 4042', () => admin('DELETE', `/${UNKNOWN_ID}`)],

  [
    'listGivenUpCallbacks 200',
    async () => {
      await giveUpCallback();
      return callbacks('GET', '?limit=10&client=billing');
    },
  ],
  ['listGivenUpCallbacks 4030', () => callbacks('GET', '', { key: TEST_KEY })],
  ['listGivenUpCallbacks 4019', () => callbacks('GET', '?since=yesterday')],

  [
    'replayGivenUpCallbacks 200',
    async () => {
      await giveUpCallback();
      return callbacks('POST', '/replay', { body: { client: 'billing' } });
    },
  ],
  ['replayGivenUpCallbacks 4030', () => callbacks('POST', '/replay', { key: TEST_KEY, body: {} })],
  [
    'replayGivenUpCallbacks 4000',
    () => callbacks('POST', '/replay', { body: '{}', headers: { 'content-type': 'text/plain' } }),
  ],
  ['replayGivenUpCallbacks 4130', () => callbacks('POST', '/replay', { body: bigBody(5_000) })],
  ['replayGivenUpCallbacks 4007', () => callbacks('POST', '/replay')],
  ['replayGivenUpCallbacks 4006', () => callbacks('POST', '/replay', { body: { reason: 'rejected' } })],
  ['replayGivenUpCallbacks 4019', () => callbacks('POST', '/replay', { body: { client: 'no such/client' } })],

  ['showGivenUpCallback 200', async () => callbacks('GET', `/${await giveUpCallback()}`)],
  ['showGivenUpCallback 4030', () => callbacks('GET', `/${UNKNOWN_ID}:1`, { key: TEST_KEY })],
  ['showGivenUpCallback 4040', () => callbacks('GET', `/${BAD_ESCAPE}`)],
  ['showGivenUpCallback 4043', () => callbacks('GET', `/${UNKNOWN_ID}:1`)],

  ['replayGivenUpCallback 200', async () => callbacks('POST', `/${await giveUpCallback()}/replay`)],
  ['replayGivenUpCallback 4030', () => callbacks('POST', `/${UNKNOWN_ID}:1/replay`, { key: TEST_KEY })],
  ['replayGivenUpCallback 4040', () => callbacks('POST', `/${BAD_ESCAPE}/replay`)],
  [
    'replayGivenUpCallback 4000',
    () =>
      callbacks('POST', `/${UNKNOWN_ID}:1/replay`, { body: '{}', headers: { 'content-type': 'text/plain' } }),
  ],
  [
    'replayGivenUpCallback 4130',
    () => callbacks('POST', `/${UNKNOWN_ID}:1/replay`, { body: bigBody(5_000) }),
  ],
  ['replayGivenUpCallback 4007', () => callbacks('POST', `/${UNKNOWN_ID}:1/replay`, { body: '[' })],
  [
    'replayGivenUpCallback 4006',
    () => callbacks('POST', `/${UNKNOWN_ID}:1/replay`, { body: { client: 'x' } }),
  ],
  ['replayGivenUpCallback 4043', () => callbacks('POST', `/${UNKNOWN_ID}:1/replay`)],

  [
    'queueUi 200',
    () =>
      call('GET', '/admin/queues', {
        key: null,
        headers: { authorization: `Basic ${Buffer.from(`ops:${ADMIN_KEY}`).toString('base64')}` },
      }),
  ],
  ['queueUi 4030', () => call('GET', '/admin/queues', { key: null })],

  ['healthz 200', () => call('GET', '/healthz', { key: null })],
  ['readyz 200', () => call('GET', '/readyz', { key: null })],
  ['readyz 503', () => whileRedisPaused(() => call('GET', '/readyz', { key: null }))],
  ['metrics 200', () => call('GET', '/metrics', { key: null })],
  ['openapi 200', () => call('GET', '/openapi.json', { key: null })],
  ['docs 200', () => call('GET', '/docs', { key: null })],
];

// The validator is an ES module, which Jest's CommonJS runtime cannot load: it runs in a child.
function validateOpenApiDocument(openApi: unknown): unknown {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    console.log(JSON.stringify(await new Validator().validate(JSON.parse(input))));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    input: JSON.stringify(openApi),
    cwd: path.join(__dirname, '..'),
  });
  return JSON.parse(output.toString());
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', () => {
    const result = validateOpenApiDocument(document);
    expect(result).toEqual({ valid: true });
    expect(document.openapi).toMatch(/^3\.1\./);
  });

  it('states the limits the API runs with', () => {
    const schemas = (
      document.components as {
        schemas: Record<string, { properties: Record<string, Record<string, unknown>> }>;
      }
    ).schemas;
    expect(schemas.SmsRequest!.properties.text!.maxLength).toBe(500);
    expect(schemas.SmsBatchRequest!.properties.messages!.maxItems).toBe(LIMITS.maxBatchMessages);
    expect(Object.keys(schemas.SmsRequest!.properties)).toEqual(Object.keys(SMS_REQUEST_FIELDS));
  });
});

describe('every answer conforms to the document', () => {
  it.each(ROWS)('%s', async (name, request) => {
    const { method, path, res } = await request();
    const answer = await checker.check(method, path, res);
    seen.push(answer);
    const [operationId, expected] = name.split(' ');
    expect(answer.operationId).toBe(operationId);
    expect(String(answer.code ?? answer.status)).toBe(expected);
  });

  it('provokes every status and error code the document lists for each route', () => {
    const missing: string[] = [];
    for (const { operationId, operation } of checker.operations) {
      const answers = seen.filter((answer) => answer.operationId === operationId);
      for (const status of Object.keys(operation.responses)) {
        if (status === '500') continue;
        if (!answers.some((answer) => String(answer.status) === status))
          missing.push(`${operationId} ${status}`);
      }
      for (const code of (operation['x-error-codes'] ?? []) as number[]) {
        if (code === UNEXPECTED_ERROR_CODE) continue;
        if (!answers.some((answer) => answer.code === code)) missing.push(`${operationId} code ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('the docs page', () => {
  it('loads its renderer from the API itself, never from another host', async () => {
    const page = await (await fetch(`${api.url}/docs`)).text();
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const asset of page.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const res = await fetch(api.url + asset[1]);
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1_000);
    }
  });
});
