import { failureJson, formatFailure } from './format-failure';

const send = { command: 'send', key: 'client', apiUrl: 'http://api:8080' } as const;
const list = { command: 'dlq list', key: 'admin', apiUrl: 'http://api:8080' } as const;

describe('formatFailure', () => {
  it("prints the API's message, then its status, code, field and request id", () => {
    expect(
      formatFailure(
        {
          outcome: 'refused',
          status: 400,
          code: 4003,
          field: 'to',
          message: '"to" must be 7 to 15 digits',
          requestId: 'r1',
        },
        send,
      ),
    ).toBe(
      [
        'sms send: refused: "to" must be 7 to 15 digits',
        '  HTTP 400, code 4003, field to, request id r1',
      ].join('\n'),
    );
  });

  it('tells a send without an answer to retry with its Idempotency-Key', () => {
    expect(
      formatFailure(
        { outcome: 'retry', message: 'cannot reach http://api:8080: connect ECONNREFUSED' },
        { ...send, idempotencyKey: 'k-1' },
      ),
    ).toBe(
      [
        'sms send: not done: cannot reach http://api:8080: connect ECONNREFUSED',
        'Safe to retry with --idempotency-key k-1: the message is then made at most once.',
      ].join('\n'),
    );
  });

  it('passes on how long the API asks to wait', () => {
    expect(
      formatFailure({ outcome: 'retry', status: 503, code: 5030, message: 'down', retryAfter: 5 }, list),
    ).toBe(
      [
        'sms dlq list: not done: down',
        '  HTTP 503, code 5030',
        'The API asks to wait 5 s first.',
        'Safe to retry.',
      ].join('\n'),
    );
  });

  it.each([
    [send, 4030, "Check the client key: --key or SMS_API_KEY, one of the API's API_KEYS."],
    [list, 4030, "Check the operator key: --admin-key or SMS_ADMIN_KEY, one of the API's ADMIN_API_KEYS."],
    [
      list,
      4040,
      'http://api:8080 has no dead-letter routes: the API serves them only with ADMIN_API_KEYS set.',
    ],
    [send, 4040, "http://api:8080 does not know this request: is it the gateway's API, and recent enough?"],
    [
      send,
      4032,
      "Send --from one of the sender ids above, or leave it out for the client's default (CLIENT_DEFAULT_FROM).",
    ],
  ] as const)('points %p to what to check on code %i', (context, code, hint) => {
    expect(
      formatFailure({ outcome: 'refused', status: 401, code, message: 'no' }, context).split('\n'),
    ).toContain(hint);
  });

  it('names the id a failure is about, and never lets the terminal obey an echoed control character', () => {
    expect(
      formatFailure(
        { outcome: 'notFound', status: 404, code: 4041, message: 'no message with id \u001b[2J' },
        {
          ...send,
          command: 'status',
          subject: 'm1',
        },
      ),
    ).toBe(['sms status m1: not found: no message with id \\u{1b}[2J', '  HTTP 404, code 4041'].join('\n'));
  });
});

describe('failureJson', () => {
  it('is the failure, plus the Idempotency-Key of a send', () => {
    const failure = { outcome: 'retry', message: 'no answer' } as const;
    expect(failureJson(failure, list)).toEqual(failure);
    expect(failureJson(failure, { ...send, idempotencyKey: 'k-1' })).toEqual({
      ...failure,
      idempotencyKey: 'k-1',
    });
  });
});
