import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { API_ERROR_CODES, type ApiErrorCode } from '@sms/contracts';
import { startRedis, type TestRedis } from '@sms/testing';
import { ADMIN_KEY, baseUrlFor, type RunningApi, startApi, TEST_KEY } from './start-api';

// Input: malformed, oversized and deceptive requests of every kind a caller (or an attacker)
// can send. Invariant: each one is refused with its 4xx and a stable code from API_ERROR_CODES
// in the body, never a 500; none of them enqueues anything; the API still accepts a valid
// request afterwards.
let redis: TestRedis;
let api: RunningApi;

const MAX_BODY_BYTES = 1_048_576;

beforeAll(async () => {
  redis = await startRedis();
  api = await startApi(redis.url, { maxBodyBytes: MAX_BODY_BYTES }, undefined, { deadLetterRoutes: true });
});
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

interface RawRequest {
  readonly method?: string;
  readonly path?: string;
  /** Replace or add headers; `undefined` leaves a default header out. */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
  readonly body?: string | Buffer;
}

interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

const TO = '573001234567';
const json = (value: unknown) => JSON.stringify(value);
const withText = (text: string) => json({ to: TO, text });
const withTo = (to: unknown) => json({ to, text: 'hi' });
const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

/** Sends exactly what it is given, with node:http rather than fetch, which would tidy it up. */
function send(raw: RawRequest): Promise<RawAnswer> {
  const url = new URL(baseUrlFor(api, raw.path ?? '/v1/sms'));
  const headers: OutgoingHttpHeaders = {};
  const given = { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json', ...raw.headers };
  for (const [name, value] of Object.entries(given)) if (value !== undefined) headers[name] = value;
  if (raw.body !== undefined) headers['content-length'] = Buffer.byteLength(raw.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: raw.method ?? 'POST',
        path: raw.path ?? '/v1/sms',
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(raw.body);
  });
}

const rows: ReadonlyArray<readonly [name: string, raw: RawRequest, code: ApiErrorCode]> = [
  // Wrong types, field by field.
  ['"to" as a number', { body: json({ to: 573001234567, text: 'hi' }) }, 4003],
  ['"to" as an array', { body: withTo([TO]) }, 4003],
  ['"to" as an object', { body: withTo({ number: TO }) }, 4003],
  ['"to" as true', { body: withTo(true) }, 4003],
  ['"text" as a number', { body: json({ to: TO, text: 1234 }) }, 4005],
  ['"text" as an array', { body: json({ to: TO, text: ['hi'] }) }, 4005],
  ['"text" as an object', { body: json({ to: TO, text: { body: 'hi' } }) }, 4005],
  ['"text" as false', { body: json({ to: TO, text: false }) }, 4005],
  ['"from" as a number', { body: json({ to: TO, text: 'hi', from: 12345 }) }, 4004],
  ['"from" as an array', { body: json({ to: TO, text: 'hi', from: ['ACME'] }) }, 4004],
  ['"validFor" as a string', { body: json({ to: TO, text: 'hi', validFor: '60' }) }, 4009],
  ['"validFor" as a fraction', { body: json({ to: TO, text: 'hi', validFor: 60.5 }) }, 4009],
  ['"validFor" below zero', { body: json({ to: TO, text: 'hi', validFor: -60 }) }, 4009],
  ['"validFor" as an object', { body: json({ to: TO, text: 'hi', validFor: { s: 60 } }) }, 4009],
  ['"validFor" beyond any number', { body: '{"to":"573001234567","text":"hi","validFor":1e999}' }, 4009],
  ['a JSON array as the body', { body: json([{ to: TO, text: 'hi' }]) }, 4007],
  ['a JSON string as the body', { body: json('hi') }, 4007],
  ['a JSON number as the body', { body: '42' }, 4007],
  ['null as the body', { body: 'null' }, 4007],

  // Size and depth.
  ['a body over MAX_BODY_BYTES', { body: withText('x'.repeat(MAX_BODY_BYTES)) }, 4130],
  [
    'a gzip body that inflates beyond MAX_BODY_BYTES',
    { body: gzipSync(withText(' '.repeat(4 * MAX_BODY_BYTES))), headers: { 'content-encoding': 'gzip' } },
    4130,
  ],
  ['a text far beyond MAX_TEXT_LENGTH', { body: withText('x'.repeat(100_000)) }, 4005],
  [
    'arrays nested 100 000 deep in "to"',
    { body: `{"to":${'['.repeat(100_000)}${']'.repeat(100_000)},"text":"hi"}` },
    4003,
  ],
  ['objects nested 50 000 deep', { body: `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}` }, 4006],
  ['arrays opened 100 000 deep and never closed', { body: '['.repeat(100_000) }, 4007],

  // Not JSON, or not quite.
  ['unquoted keys', { body: '{to: "573001234567", text: "hi"}' }, 4007],
  ['single quotes', { body: "{'to': '573001234567', 'text': 'hi'}" }, 4007],
  ['a trailing comma', { body: '{"to":"573001234567","text":"hi",}' }, 4007],
  ['a comment', { body: '{"to":"573001234567", /* who */ "text":"hi"}' }, 4007],
  ['NaN', { body: '{"to":"573001234567","text":"hi","validFor":NaN}' }, 4007],
  ['JSON cut off after a key', { body: '{"to":"573001234567","te' }, 4007],
  ['JSON cut off inside a string', { body: '{"to":"5730' }, 4007],
  ['two JSON objects', { body: `${withText('a')}${withText('b')}` }, 4007],
  ['only blanks', { body: ' \n\t ' }, 4007],
  ['an empty body', { body: '' }, 4001],
  ['a byte order mark before the JSON', { body: bytes([0xef, 0xbb, 0xbf], withText('hi')) }, 4007],
  ['a byte order mark inside "to"', { body: withTo(`\ufeff${TO}`) }, 4003],

  // Control characters and NUL.
  ['NUL in "text"', { body: withText('hi\u0000there') }, 4005],
  ['an escape sequence in "text"', { body: withText('\u001b[31mred\u001b[0m') }, 4005],
  ['BEL in "text"', { body: withText('ring\u0007') }, 4005],
  ['DEL in "text"', { body: withText('oops\u007f') }, 4005],
  ['a C1 control in "text"', { body: withText('next\u0085line') }, 4005],
  ['NUL in "to"', { body: withTo(`${TO}\u0000`) }, 4003],
  ['NUL in "from"', { body: json({ to: TO, text: 'hi', from: 'ACME\u0000' }) }, 4004],
  ['NUL in a key', { body: '{"to\\u0000":"573001234567","text":"hi"}' }, 4006],

  // Encodings.
  [
    'invalid UTF-8 bytes in "text"',
    { body: bytes('{"to":"573001234567","text":"', [0xff, 0xfe], '"}') },
    4007,
  ],
  ['an overlong UTF-8 encoding', { body: bytes('{"to":"573001234567","text":"a', [0xc0, 0xaf], '"}') }, 4007],
  ['a UTF-8 sequence cut short', { body: bytes('{"to":"573001234567","text":"', [0xe2, 0x82], '"}') }, 4007],
  [
    'a surrogate encoded as UTF-8',
    { body: bytes('{"to":"573001234567","text":"', [0xed, 0xa0, 0x80], '"}') },
    4007,
  ],
  ['a lone high surrogate in "text"', { body: '{"to":"573001234567","text":"\\ud800"}' }, 4005],
  ['a lone low surrogate in "text"', { body: '{"to":"573001234567","text":"x\\udc00x"}' }, 4005],
  ['a lone surrogate in "to"', { body: '{"to":"\\ud83d573001234567","text":"hi"}' }, 4003],
  [
    'a UTF-16 body declared as such',
    {
      body: Buffer.from(withText('hi'), 'utf16le'),
      headers: { 'content-type': 'application/json; charset=utf-16le' },
    },
    4000,
  ],
  [
    'charset=iso-8859-1',
    { body: withText('hi'), headers: { 'content-type': 'application/json; charset=iso-8859-1' } },
    4000,
  ],
  [
    'an unknown charset',
    { body: withText('hi'), headers: { 'content-type': 'application/json; charset=klingon' } },
    4000,
  ],
  [
    'an unknown Content-Encoding',
    { body: withText('hi'), headers: { 'content-encoding': 'compress' } },
    4000,
  ],
  [
    'a gzip Content-Encoding over plain bytes',
    { body: withText('hi'), headers: { 'content-encoding': 'gzip' } },
    4007,
  ],

  // Look-alike numbers.
  ['a zero-width space in "to"', { body: withTo(`\u200b${TO}`) }, 4003],
  ['a right-to-left mark in "to"', { body: withTo(`${TO}\u200f`) }, 4003],
  ['a right-to-left override in "to"', { body: withTo(`\u202e${[...TO].reverse().join('')}`) }, 4003],
  ['full-width digits in "to"', { body: withTo('５７３００１２３４５６７') }, 4003],
  ['Arabic-Indic digits in "to"', { body: withTo('٥٧٣٠٠١٢٣٤٥٦٧') }, 4003],
  ['a zero-width joiner in "from"', { body: json({ to: TO, text: 'hi', from: 'ACME\u200d' }) }, 4004],
  ['"to" with a leading space', { body: withTo(` ${TO}`) }, 4003],
  ['"to" with a trailing space', { body: withTo(`${TO} `) }, 4003],
  ['"to" in groups of digits', { body: withTo('573 001 234 567') }, 4003],
  ['"to" in exponent notation', { body: '{"to":5.73001234567e11,"text":"hi"}' }, 4003],
  ['"validFor" as a string with spaces', { body: json({ to: TO, text: 'hi', validFor: ' 60 ' }) }, 4009],

  // Keys meant to reach prototypes. Raw text: JSON.stringify leaves __proto__ out.
  ['a __proto__ key', { body: '{"__proto__":{"admin":true},"to":"573001234567","text":"hi"}' }, 4006],
  ['__proto__ set to null', { body: '{"to":"573001234567","text":"hi","__proto__":null}' }, 4006],
  [
    'a constructor key',
    { body: '{"constructor":{"prototype":{"admin":true}},"to":"573001234567","text":"hi"}' },
    4006,
  ],
  ['a prototype key', { body: '{"prototype":{},"to":"573001234567","text":"hi"}' }, 4006],

  // Duplicate keys: parsers disagree on which one wins.
  ['"to" twice', { body: '{"to":"12","to":"573001234567","text":"hi"}' }, 4007],
  ['"text" twice', { body: '{"to":"573001234567","text":"hi","text":"other"}' }, 4007],
  ['"text" twice, once escaped', { body: '{"to":"573001234567","text":"hi","t\\u0065xt":"other"}' }, 4007],
  ['a key twice in a nested object', { body: '{"to":{"a":1,"a":2},"text":"hi"}' }, 4007],

  // Content-Type.
  ['no Content-Type', { body: withText('hi'), headers: { 'content-type': undefined } }, 4000],
  ['text/plain', { body: withText('hi'), headers: { 'content-type': 'text/plain' } }, 4000],
  [
    'a form',
    { body: `to=${TO}&text=hi`, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
    4000,
  ],
  [
    'multipart',
    { body: withText('hi'), headers: { 'content-type': 'multipart/form-data; boundary=x' } },
    4000,
  ],
  ['application/jsonp', { body: withText('hi'), headers: { 'content-type': 'application/jsonp' } }, 4000],
  [
    'a Content-Type of 8000 characters',
    { body: withText('hi'), headers: { 'content-type': `text/${'a'.repeat(8000)}` } },
    4000,
  ],

  // Authorization.
  ['no Authorization', { body: withText('hi'), headers: { authorization: undefined } }, 4030],
  ['"Bearer" alone', { body: withText('hi'), headers: { authorization: 'Bearer' } }, 4030],
  ['"Bearer" and blanks', { body: withText('hi'), headers: { authorization: 'Bearer    ' } }, 4030],
  [
    'the key in the Basic scheme',
    { body: withText('hi'), headers: { authorization: `Basic ${TEST_KEY}` } },
    4030,
  ],
  [
    'the key twice',
    { body: withText('hi'), headers: { authorization: `Bearer ${TEST_KEY} ${TEST_KEY}` } },
    4030,
  ],
  [
    'a key of 10 000 characters',
    { body: withText('hi'), headers: { authorization: `Bearer ${'k'.repeat(10_000)}` } },
    4030,
  ],
  [
    'a key with Latin-1 bytes',
    { body: withText('hi'), headers: { authorization: 'Bearer cl\u00e9-0123456789abcdef' } },
    4030,
  ],
  [
    'a wrong Authorization followed by a right one',
    {
      body: withText('hi'),
      headers: { authorization: ['Bearer wrong-key-0123456789', `Bearer ${TEST_KEY}`] },
    },
    4030,
  ],

  // Other headers.
  [
    'an Idempotency-Key of 8000 characters',
    { body: withText('hi'), headers: { 'idempotency-key': 'k'.repeat(8000) } },
    4008,
  ],
  [
    'two Idempotency-Key headers',
    { body: withText('hi'), headers: { 'idempotency-key': ['one', 'two'] } },
    4008,
  ],
  [
    'an X-Request-Id of 10 000 characters and no text',
    { body: json({ to: TO }), headers: { 'x-request-id': 'r'.repeat(10_000) } },
    4002,
  ],

  // Methods and paths.
  ['PUT /v1/sms', { method: 'PUT', body: withText('hi') }, 4040],
  ['PATCH /v1/sms', { method: 'PATCH', body: withText('hi') }, 4040],
  ['DELETE /v1/sms', { method: 'DELETE' }, 4040],
  ['OPTIONS /v1/sms', { method: 'OPTIONS' }, 4040],
  ['OPTIONS /docs', { method: 'OPTIONS', path: '/docs' }, 4040],
  ['OPTIONS /docs/swagger-ui.css', { method: 'OPTIONS', path: '/docs/swagger-ui.css' }, 4040],
  ['OPTIONS /openapi.json', { method: 'OPTIONS', path: '/openapi.json' }, 4040],
  ['OPTIONS /healthz', { method: 'OPTIONS', path: '/healthz' }, 4040],
  ['OPTIONS /v1/sms/batch', { method: 'OPTIONS', path: '/v1/sms/batch' }, 4040],
  [
    'OPTIONS /v1/admin/dead-letters with an admin key',
    { method: 'OPTIONS', path: '/v1/admin/dead-letters', headers: { authorization: `Bearer ${ADMIN_KEY}` } },
    4040,
  ],
  ['OPTIONS *', { method: 'OPTIONS', path: '*' }, 4040],
  ['PUT /docs', { method: 'PUT', path: '/docs', body: 'x' }, 4040],
  ['DELETE /openapi.json', { method: 'DELETE', path: '/openapi.json' }, 4040],
  ['PROPFIND /docs', { method: 'PROPFIND', path: '/docs' }, 4040],
  ['TRACE /v1/sms', { method: 'TRACE' }, 4040],
  ['GET /v1/sms without a reference', { method: 'GET' }, 4017],
  ['GET /v1/sms with a reference twice', { method: 'GET', path: '/v1/sms?reference=a&reference=b' }, 4017],
  ['GET /v1/sms with another query parameter', { method: 'GET', path: '/v1/sms?reference=a&to=1' }, 4006],
  [
    'GET /v1/sms with a reference of 65 characters',
    { method: 'GET', path: `/v1/sms?reference=${'r'.repeat(65)}` },
    4017,
  ],
  [
    'DELETE /v1/sms/<unknown id>',
    { method: 'DELETE', path: '/v1/sms/00000000-0000-0000-0000-000000000000' },
    4041,
  ],
  ['DELETE /v1/sms/<id of 5000 characters>', { method: 'DELETE', path: `/v1/sms/${'9'.repeat(5000)}` }, 4041],
  ['POST /v1/sms/<id>', { path: '/v1/sms/00000000-0000-0000-0000-000000000000', body: withText('hi') }, 4040],
  ['an id that is not valid percent-encoding', { method: 'GET', path: '/v1/sms/%E0%A4%A' }, 4040],
  ['an id climbing out of its path', { method: 'GET', path: '/v1/sms/..%2f..%2fhealthz' }, 4041],
  ['an id of 5000 characters', { method: 'GET', path: `/v1/sms/${'9'.repeat(5000)}` }, 4041],

  // Query strings: POST /v1/sms reads none, and none changes its answer.
  [
    'the message in the query string instead of the body',
    { path: `/v1/sms?to=${TO}&text=hi`, body: '' },
    4001,
  ],
  [
    'a query string reaching for a prototype',
    { path: '/v1/sms?__proto__[admin]=1&constructor=x', body: json({ to: TO }) },
    4002,
  ],
  [
    'a query string that is not valid percent-encoding',
    { path: '/v1/sms?to=%ZZ', body: json({ to: TO }) },
    4002,
  ],
];

describe('hostile input to the API', () => {
  it('tries at least 40 kinds', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  it.each(rows)('refuses %s with its 4xx and a stable code', async (_name, raw, code) => {
    expectRefusal(await send(raw), code);
  });

  it('cuts a long X-Request-Id to 128 characters', async () => {
    const res = await send({ body: json({ to: TO }), headers: { 'x-request-id': 'r'.repeat(10_000) } });
    expect(res.headers['x-request-id']).toBe('r'.repeat(128));
  });

  it('keeps an X-Request-Id of visible ASCII as it is, in the header and the body', async () => {
    const id = 'Req-42_a.b:c/d+e=f@g~!"#$%&()*,;<>?[]^`{|}\\';
    const res = await send({ body: json({ to: TO }), headers: { 'x-request-id': id } });
    expect([res.headers['x-request-id'], parseBody(res).requestId]).toEqual([id, id]);
  });

  // Node sends a header string as Latin-1 bytes: `latin1` of the UTF-8 bytes sends them as they are.
  it.each([
    ['UTF-8', Buffer.from('req-é-ü-😀', 'utf8').toString('latin1')],
    ['Latin-1', 'café'],
    ['a space', 'two words'],
    ['a tab', 'tab\there'],
    ['two headers', ['first', 'second']],
  ])(
    'answers an X-Request-Id with %s under a new id, the same in the header and the body',
    async (_what, id) => {
      const res = await send({ body: json({ to: TO }), headers: { 'x-request-id': id } });
      const header = res.headers['x-request-id'];
      expect(header).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseBody(res).requestId).toBe(header);
    },
  );

  it('enqueued nothing for any of them, answered no 500, and still accepts a valid request', async () => {
    expect(await api.queue.getJobCounts('wait')).toEqual({ wait: 0 });
    const metrics = await (await fetch(`${api.adminUrl}/metrics`)).text();
    expect(metrics).not.toMatch(/sms_api_requests_total\{[^}]*status="5\d\d"/);

    const res = await send({ body: withText('still here') });
    expect(res.status).toBe(202);
    expect(await api.queue.getJobCounts('wait')).toEqual({ wait: 1 });
  });

  it('accepts text with newlines, tabs and emoji', async () => {
    const res = await send({ body: withText('Line one\r\nLine two\n\tindented 👍🏽 ok') });
    expect(res.status).toBe(202);
    const { id } = parseBody(res) as unknown as { id: string };
    expect((await api.queue.getJob(id))?.data.text).toBe('Line one\r\nLine two\n\tindented 👍🏽 ok');
  });
});

// Names every object inherits: a plain object indexed by one of them finds a function (or, for
// __proto__, Object.prototype). Each is tried wherever a caller chooses a name, a key or an id.
const INHERITED_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];
const ADMIN = { authorization: `Bearer ${ADMIN_KEY}` };
const KAARAI_SEND = '/kaarai/api/v1/sms/send';

const inheritedNameRows = INHERITED_NAMES.flatMap((name) =>
  (
    [
      ['a field of POST /v1/sms', { body: `{"${name}":1,"to":"${TO}","text":"hi"}` }, 4006],
      ['a field of a batch', { path: '/v1/sms/batch', body: `{"${name}":[],"messages":[]}` }, 4006],
      [
        'a field of a message in a batch',
        { path: '/v1/sms/batch', body: `{"messages":[{"${name}":1,"to":"${TO}","text":"hi"}]}` },
        4012,
      ],
      ['a query parameter of GET /v1/sms', { method: 'GET', path: `/v1/sms?${name}=1` }, 4006],
      ['a message id', { method: 'GET', path: `/v1/sms/${name}` }, 4041],
      ['the id of a cancel', { method: 'DELETE', path: `/v1/sms/${name}` }, 4041],
      ['a path', { method: 'GET', path: `/${name}` }, 4040],
      ['a bearer key', { body: withText('hi'), headers: { authorization: `Bearer ${name}` } }, 4030],
      [
        'a dead-letter query parameter',
        { method: 'GET', path: `/v1/admin/dead-letters?${name}=1`, headers: ADMIN },
        4010,
      ],
      [
        'a dead-letter reason',
        { method: 'GET', path: `/v1/admin/dead-letters?reason=${name}`, headers: ADMIN },
        4010,
      ],
      [
        'a field of a dead-letter replay',
        { path: '/v1/admin/dead-letters/replay', headers: ADMIN, body: `{"${name}":1}` },
        4006,
      ],
      [
        'a reason of a dead-letter replay',
        { path: '/v1/admin/dead-letters/replay', headers: ADMIN, body: `{"reason":"${name}"}` },
        4010,
      ],
      ['a dead-letter id', { method: 'GET', path: `/v1/admin/dead-letters/${name}`, headers: ADMIN }, 4042],
      [
        'a dead-letter id to replay',
        { path: `/v1/admin/dead-letters/${name}/replay`, headers: ADMIN, body: '{}' },
        4042,
      ],
      [
        'a dead-letter id to delete',
        { method: 'DELETE', path: `/v1/admin/dead-letters/${name}`, headers: ADMIN },
        4042,
      ],
    ] as const
  ).map(([where, raw, code]) => [name, where, raw, code] as const),
);

const kaaraiRows = INHERITED_NAMES.flatMap((name) =>
  (
    [
      ['a field', { path: KAARAI_SEND, body: `{"${name}":1,"to":"${TO}","text":"hi"}` }, 400, 4000],
      [
        'the user of the Basic credentials',
        { path: KAARAI_SEND, body: withText('hi'), headers: { authorization: basic(name, TEST_KEY) } },
        403,
        4030,
      ],
      ['a path', { path: `/kaarai/${name}`, body: withText('hi') }, 404, 4040],
    ] as ReadonlyArray<readonly [where: string, raw: RawRequest, status: number, code: number]>
  ).map(([where, raw, status, code]) => [name, where, raw, status, code] as const),
);

describe('names every object inherits, wherever a caller chooses a name', () => {
  it.each(inheritedNameRows)(
    'refuses %p as %s with its 4xx and a stable code',
    async (_name, _where, raw, code) => {
      expectRefusal(await send(raw), code);
    },
  );

  it.each(kaaraiRows)(
    "answers %p as %s of the Kaarai entry in Kaarai's form",
    async (_name, _where, raw, status, code) => {
      const res = await send({
        ...raw,
        headers: { authorization: basic('billing', TEST_KEY), ...raw.headers },
      });
      expect({ status: res.status, code: parseBody(res).code }).toEqual({ status, code });
    },
  );

  it.each(INHERITED_NAMES)('looks up the reference %p and finds no message', async (name) => {
    const res = await send({ method: 'GET', path: `/v1/sms?reference=${encodeURIComponent(name)}` });
    expect([res.status, JSON.parse(res.text)]).toEqual([200, { reference: name, messages: [] }]);
  });

  // Node lower-cases header names and drops one named __proto__; these two reach `req.headers`.
  it('takes a request with headers named constructor and hasOwnProperty as any other', async () => {
    const res = await send({ body: withText('headers'), headers: { constructor: 'y', hasOwnProperty: 'z' } });
    expect(res.status).toBe(202);
  });

  it('answered none of them 500', async () => {
    const metrics = await (await fetch(`${api.adminUrl}/metrics`)).text();
    expect(metrics).not.toMatch(/sms_api_requests_total\{[^}]*status="5\d\d"/);
  });
});

function expectRefusal(res: RawAnswer, code: ApiErrorCode): void {
  const body = parseBody(res);
  expect({ status: res.status, code: body.code }).toEqual({ status: API_ERROR_CODES[code].httpStatus, code });
  expect(body.requestId).toEqual(expect.any(String));
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function parseBody(res: RawAnswer): { code?: number; requestId?: string } {
  try {
    return JSON.parse(res.text) as { code?: number; requestId?: string };
  } catch {
    throw new Error(`answer ${res.status} is not JSON: ${res.text.slice(0, 200)}`);
  }
}
