import { parseKaaraiAnswer } from './parse-kaarai-answer';

// Every answer in Kaarai's send-SMS API document: code, HTTP status and wording («Code N: ...»),
// with the document's «xxx» placeholders filled in.
const DOCUMENT_ANSWERS: ReadonlyArray<readonly [code: number, httpStatus: number, wording: string]> = [
  [2020, 202, 'Accepted for delivery'],
  [2021, 202, 'Queued for later delivery'],
  [4000, 400, 'Invalid content-type: text/plain'],
  [4001, 400, 'Missing receiver number, rejected'],
  [4002, 400, 'Missing text message, rejected'],
  [4003, 400, 'Invalid receiver number, rejected'],
  [4030, 403, 'Authorization failed for user: gateway'],
  [4031, 403, 'Not routable. Do not try again'],
  [4040, 404, 'Unknown request'],
  [5030, 503, 'Temporal failure, try again later'],
];

/** The body shapes Kaarai might answer with, since the document shows none. */
const BODY_SHAPES: ReadonlyArray<readonly [name: string, body: (code: number, wording: string) => string]> = [
  ['a JSON object with a numeric code', (code, wording) => JSON.stringify({ code, message: wording })],
  [
    'a JSON object with the code as a string',
    (code, wording) => JSON.stringify({ code: String(code), message: wording }),
  ],
  ["a JSON string in the document's wording", (code, wording) => JSON.stringify(`Code ${code}: ${wording}`)],
  ["plain text in the document's wording", (code, wording) => `Code ${code}: ${wording}`],
  [
    'a JSON object whose message holds the wording',
    (code, wording) => JSON.stringify({ message: `Code ${code}: ${wording}` }),
  ],
  [
    'pretty-printed JSON with a trailing newline',
    (code, wording) => `${JSON.stringify({ code, message: wording }, null, 2)}\n`,
  ],
];

const rows = DOCUMENT_ANSWERS.flatMap(([code, httpStatus, wording]) =>
  BODY_SHAPES.map(([shape, body]) => [code, shape, httpStatus, wording, body(code, wording)] as const),
);

describe('parseKaaraiAnswer', () => {
  it.each(rows)('reads code %i from %s', (code, _shape, httpStatus, wording, body) => {
    expect(parseKaaraiAnswer(httpStatus, body)).toEqual({ code, message: wording, source: 'body' });
  });

  it.each([
    ['a numeric code', '{"code":2020}', 2020],
    ['a code as a string', '{"code":"2021"}', 2021],
    ['a code as a string with blanks', '{"code":" 4031 "}', 4031],
  ])('reads a JSON object with %s and no message, leaving the message empty', (_name, body, code) => {
    expect(parseKaaraiAnswer(202, body)).toEqual({ code, message: '', source: 'body' });
  });

  it.each([
    ['in capitals', 'CODE 5030: TEMPORAL FAILURE', 5030, 'TEMPORAL FAILURE'],
    ['without a colon', 'Code 4003 Invalid receiver number', 4003, 'Invalid receiver number'],
    ['with a colon after "Code"', 'Code: 4040: Unknown request', 4040, 'Unknown request'],
    ['without any wording', 'Code 2020', 2020, ''],
    ['after other words', 'Error. Code 4031: Not routable', 4031, 'Not routable'],
    [
      'over several lines',
      'Code 5030:\nTemporal failure,\ntry again later',
      5030,
      'Temporal failure,\ntry again later',
    ],
  ])('reads the wording %s', (_name, body, code, message) => {
    expect(parseKaaraiAnswer(400, body)).toEqual({ code, message, source: 'body' });
  });

  it("keeps the body's code when it disagrees with the HTTP status", () => {
    expect(parseKaaraiAnswer(503, '{"code":4031,"message":"Not routable"}')).toEqual({
      code: 4031,
      message: 'Not routable',
      source: 'body',
    });
  });

  it('keeps a code the document does not list', () => {
    expect(parseKaaraiAnswer(403, '{"code":4999,"message":"Quota exceeded"}')).toEqual({
      code: 4999,
      message: 'Quota exceeded',
      source: 'body',
    });
  });

  describe('without a body', () => {
    it.each([
      ['undefined', undefined],
      ['empty', ''],
      ['whitespace', ' \r\n\t '],
    ])('takes the code of the HTTP status when the body is %s', (_name, body) => {
      expect(parseKaaraiAnswer(202, body)).toEqual({ code: 2020, message: 'HTTP 202', source: 'status' });
      expect(parseKaaraiAnswer(403, body)).toEqual({ code: 4030, message: 'HTTP 403', source: 'status' });
      expect(parseKaaraiAnswer(503, body)).toEqual({ code: 5030, message: 'HTTP 503', source: 'status' });
    });
  });

  describe('with a body that carries no code', () => {
    it.each([
      ['an HTML page', '<html><body><h1>502 Bad Gateway</h1></body></html>'],
      ['a bare opening brace', '{'],
      ['an empty JSON array', '[]'],
      ['JSON null', 'null'],
      ['a JSON number', '2020'],
      ['a JSON boolean', 'true'],
      ['an empty JSON object', '{}'],
      ['a code that is not a number', '{"code":"abc"}'],
      ['a code that is null', '{"code":null}'],
      ['a code with a fraction', '{"code":2020.5}'],
      ['a code of three digits', '{"code":503}'],
      ['a code of five digits', '{"code":50300}'],
      ['a message without a code', '{"message":"Service Unavailable"}'],
      ['a message that is not text', '{"message":{"code":2020}}'],
      ['a JSON string without a code', '"upstream timed out"'],
      ['plain text with a five-digit code', 'Code 50300: odd'],
      ['plain text where "code" is part of a word', 'barcode 2020 printed'],
    ])(
      'takes the code of the HTTP status when the body is %s, and keeps the body as the message',
      (_name, body) => {
        expect(parseKaaraiAnswer(502, body)).toEqual({ code: 5030, message: body, source: 'status' });
      },
    );

    it('keeps at most 200 characters of such a body', () => {
      const page = `<html>${'x'.repeat(1000)}</html>`;
      const parsed = parseKaaraiAnswer(504, page);
      expect(parsed).toEqual({ code: 5030, message: page.slice(0, 200), source: 'status' });
    });
  });
});
