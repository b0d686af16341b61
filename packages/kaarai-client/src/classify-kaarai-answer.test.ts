import { KAARAI_CODES } from '@sms/contracts';
import { classifyAnswer, classifyFailure, parseRetryAfter } from './classify-kaarai-answer';

// Kaarai's send-SMS API document, row by row, with what the gateway does about each answer.
const DOCUMENT_ANSWERS = [
  [2020, 202, 'Accepted for delivery', 'succeed'],
  [2021, 202, 'Queued for later delivery', 'succeed'],
  [4000, 400, 'Invalid content-type: text/plain', 'hold'],
  [4001, 400, 'Missing receiver number, rejected', 'dead_letter'],
  [4002, 400, 'Missing text message, rejected', 'dead_letter'],
  [4003, 400, 'Invalid receiver number, rejected', 'dead_letter'],
  [4030, 403, 'Authorization failed for user: gateway', 'hold'],
  [4031, 403, 'Not routable. Do not try again', 'dead_letter'],
  [4040, 404, 'Unknown request', 'hold'],
  [5030, 503, 'Temporal failure, try again later', 'retry'],
] as const;

const BODY_SHAPES: ReadonlyArray<readonly [name: string, body: (code: number, wording: string) => string]> = [
  ['a JSON object', (code, wording) => JSON.stringify({ code, message: wording })],
  [
    'a JSON object with the code as a string',
    (code, wording) => JSON.stringify({ code: String(code), message: wording }),
  ],
  ['a JSON string', (code, wording) => JSON.stringify(`Code ${code}: ${wording}`)],
  ['plain text', (code, wording) => `Code ${code}: ${wording}`],
  [
    'a JSON object whose message holds the wording',
    (code, wording) => JSON.stringify({ message: `Code ${code}: ${wording}` }),
  ],
];

const rows = DOCUMENT_ANSWERS.flatMap(([code, httpStatus, wording, action]) =>
  BODY_SHAPES.map(
    ([shape, body]) => [code, action, shape, httpStatus, wording, body(code, wording)] as const,
  ),
);

describe('classifyAnswer', () => {
  it.each(rows)(
    'answers %i with %s when it comes as %s',
    (code, action, _shape, httpStatus, wording, body) => {
      expect(classifyAnswer(httpStatus, body, undefined, 12.5)).toEqual({
        type: 'answered',
        action,
        code,
        message: wording,
        httpStatus,
        durationMs: 12.5,
      });
    },
  );

  it.each(DOCUMENT_ANSWERS)(
    "fills in the document's text for %i when the body has a code but no message",
    (code, httpStatus, _wording, action) => {
      expect(classifyAnswer(httpStatus, JSON.stringify({ code }), undefined, 1)).toMatchObject({
        action,
        code,
        message: KAARAI_CODES[code].text,
      });
    },
  );

  it.each([
    [undefined, 202, 2020, 'succeed'],
    ['', 400, 4000, 'hold'],
    ['   ', 401, 4030, 'hold'],
    [undefined, 403, 4030, 'hold'],
    ['\n', 404, 4040, 'hold'],
    [undefined, 415, 4000, 'hold'],
    ['', 429, 5030, 'retry'],
    [undefined, 500, 5030, 'retry'],
    [undefined, 502, 5030, 'retry'],
    ['', 503, 5030, 'retry'],
    [undefined, 504, 5030, 'retry'],
  ])(
    'falls back to the HTTP status when the body is %p: HTTP %i is %i, %s',
    (body, httpStatus, code, action) => {
      expect(classifyAnswer(httpStatus, body, undefined, 3)).toEqual({
        type: 'answered',
        action,
        code,
        message: `HTTP ${httpStatus}`,
        httpStatus,
        durationMs: 3,
      });
    },
  );

  it.each([
    ['an HTML page', '<html><body>Bad Gateway</body></html>', 502, 5030, 'retry'],
    ['a bare brace', '{', 503, 5030, 'retry'],
    ['an empty array', '[]', 403, 4030, 'hold'],
    ['JSON null', 'null', 404, 4040, 'hold'],
    ['a code that is not a number', '{"code":"abc"}', 400, 4000, 'hold'],
    ['an HTML page', '<html>OK</html>', 202, 2020, 'succeed'],
  ])(
    'falls back to the HTTP status when the body is %s (HTTP %i gives %i, %s)',
    (_name, body, httpStatus, code, action) => {
      expect(classifyAnswer(httpStatus, body, undefined, 3)).toEqual({
        type: 'answered',
        action,
        code,
        message: body,
        httpStatus,
        durationMs: 3,
      });
    },
  );

  it.each([
    [4999, 403, 'hold'],
    [4032, 403, 'hold'],
    [4004, 400, 'hold'],
    [4041, 404, 'hold'],
    [5031, 503, 'retry'],
    [5000, 500, 'retry'],
    [4290, 429, 'retry'],
    [2022, 202, 'succeed'],
  ])('keeps the unknown code %i but acts on its HTTP status %i: %s', (code, httpStatus, action) => {
    const body = JSON.stringify({ code, message: 'Something new' });
    expect(classifyAnswer(httpStatus, body, undefined, 1)).toEqual({
      type: 'answered',
      action,
      code,
      message: 'Something new',
      httpStatus,
      durationMs: 1,
    });
  });

  it('acts on a known code in the body even when the HTTP status says otherwise', () => {
    expect(classifyAnswer(503, '{"code":4031,"message":"Not routable"}', undefined, 1).action).toBe(
      'dead_letter',
    );
    expect(classifyAnswer(200, 'Code 5030: Temporal failure', undefined, 1).action).toBe('retry');
  });

  it('passes a Retry-After in seconds on in milliseconds', () => {
    expect(classifyAnswer(503, 'Code 5030: Temporal failure, try again later', '120', 1)).toMatchObject({
      action: 'retry',
      retryAfterMs: 120_000,
    });
  });

  it('passes a Retry-After date on as the milliseconds until it', () => {
    jest.useFakeTimers({ now: Date.parse('2030-03-04T05:06:07Z') });
    try {
      const outcome = classifyAnswer(503, '', 'Mon, 04 Mar 2030 05:07:07 GMT', 1);
      expect(outcome.retryAfterMs).toBe(60_000);
    } finally {
      jest.useRealTimers();
    }
  });

  it.each([undefined, '', 'soon'])('leaves retryAfterMs out when Retry-After is %p', (retryAfter) => {
    expect(classifyAnswer(503, '', retryAfter, 1)).not.toHaveProperty('retryAfterMs');
  });

  it('keeps a Retry-After of zero seconds', () => {
    expect(classifyAnswer(503, '', '0', 1)).toHaveProperty('retryAfterMs', 0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2030-03-04T05:06:07Z');

  it.each([
    ['0', 0],
    ['1', 1_000],
    ['120', 120_000],
    [' 30 ', 30_000],
    ['007', 7_000],
    ['86400', 86_400_000],
  ])('reads %p seconds as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([
    ['an IMF-fixdate a minute ahead', 'Mon, 04 Mar 2030 05:07:07 GMT', 60_000],
    ['an IMF-fixdate an hour ahead', 'Mon, 04 Mar 2030 06:06:07 GMT', 3_600_000],
    ['the obsolete RFC 850 form', 'Monday, 04-Mar-30 05:06:17 GMT', 10_000],
    ['the current instant', 'Mon, 04 Mar 2030 05:06:07 GMT', 0],
  ])('reads %s', (_name, value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it('reads a date in the past as no wait at all', () => {
    expect(parseRetryAfter('Sun, 03 Mar 2030 05:06:07 GMT', now)).toBe(0);
  });

  it.each([undefined, '', '   ', 'soon', 'tomorrow', 'Retry later', '1e3', '0x10'])(
    'ignores the unusable value %p',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );
});

describe('classifyFailure', () => {
  it.each([
    ['ECONNREFUSED', false, 'retry', 'connection_failed', false],
    ['ENOTFOUND', false, 'retry', 'connection_failed', false],
    ['EAI_AGAIN', false, 'retry', 'connection_failed', false],
    ['EHOSTUNREACH', false, 'retry', 'connection_failed', false],
    ['ENETUNREACH', false, 'retry', 'connection_failed', false],
    ['ECONNABORTED', false, 'retry', 'connect_timeout', false],
    ['ETIMEDOUT', false, 'retry', 'connect_timeout', false],
    ['ECONNRESET', false, 'retry', 'connection_failed', false],
    ['ECONNABORTED', true, 'retry', 'timeout', true],
    ['ETIMEDOUT', true, 'retry', 'timeout', true],
    ['ESOCKETTIMEDOUT', true, 'retry', 'timeout', true],
    ['ECONNRESET', true, 'retry', 'connection_dropped', true],
    ['EPIPE', true, 'retry', 'connection_dropped', true],
    ['EHOSTUNREACH', true, 'retry', 'connection_dropped', true],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', false, 'hold', 'tls', false],
    ['SELF_SIGNED_CERT_IN_CHAIN', false, 'hold', 'tls', false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', false, 'hold', 'tls', false],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', false, 'hold', 'tls', false],
    ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', false, 'hold', 'tls', false],
    ['CERT_HAS_EXPIRED', false, 'hold', 'tls', false],
    ['ERR_SSL_WRONG_VERSION_NUMBER', false, 'hold', 'tls', false],
    ['EPROTO', false, 'hold', 'tls', false],
  ] as const)(
    'takes %s (connected: %p) as %s (%s, request sent: %p)',
    (code, connected, action, reason, requestSent) => {
      expect(classifyFailure({ code, message: `failed with ${code}`, connected }, 42)).toEqual({
        type: 'no_answer',
        action,
        reason,
        requestSent,
        message: `failed with ${code}`,
        durationMs: 42,
      });
    },
  );

  it('retries a failure without a code, counting the request as possibly sent', () => {
    expect(classifyFailure({ message: 'socket hang up', connected: true }, 7)).toEqual({
      type: 'no_answer',
      action: 'retry',
      reason: 'connection_dropped',
      requestSent: true,
      message: 'socket hang up',
      durationMs: 7,
    });
  });

  it('never counts as sent a call refused or unresolved, even on a socket thought connected', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']) {
      expect(classifyFailure({ code, message: 'x', connected: true }, 1).requestSent).toBe(false);
    }
  });

  it('never holds, or counts as unsent, a failure on a connection that was established', () => {
    for (const code of ['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', undefined]) {
      const outcome = classifyFailure({ code, message: 'x', connected: true }, 1);
      expect(outcome.action).toBe('retry');
      expect(outcome.requestSent).toBe(true);
    }
  });

  it('retries, without counting as sent, any failure before a connection was established', () => {
    for (const code of ['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', undefined]) {
      const outcome = classifyFailure({ code, message: 'x', connected: false }, 1);
      expect(outcome.action).toBe('retry');
      expect(outcome.requestSent).toBe(false);
    }
  });
});
