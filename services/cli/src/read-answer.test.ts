import { readAnswer } from './read-answer';

const answer = (status: number, text: string, headers: Record<string, string> = {}) =>
  readAnswer({ status, text, headers: new Headers(headers) });

describe('readAnswer', () => {
  it('gives the JSON of a success, and whether an Idempotency-Key repeat answered it', () => {
    expect(answer(202, '{"id":"m1","status":"queued"}')).toEqual({
      ok: true,
      status: 202,
      body: { id: 'm1', status: 'queued' },
      replayed: false,
    });
    expect(answer(202, '{"id":"m1"}', { 'idempotency-replayed': 'true' })).toMatchObject({ replayed: true });
    expect(answer(204, '')).toEqual({ ok: true, status: 204, body: undefined, replayed: false });
  });

  it("reads the API's error body: code, field, message and request id", () => {
    const body = { code: 4003, message: '"to" must be 7 to 15 digits', field: 'to', requestId: 'r1' };
    expect(answer(400, JSON.stringify(body))).toEqual({
      ok: false,
      failure: { outcome: 'refused', status: 400, ...body },
    });
  });

  it('takes the request id from the header when the body has none, and Retry-After', () => {
    expect(
      answer(503, '{"code":5030,"message":"Redis unavailable"}', {
        'x-request-id': 'r2',
        'retry-after': '5',
      }),
    ).toEqual({
      ok: false,
      failure: {
        outcome: 'retry',
        status: 503,
        code: 5030,
        message: 'Redis unavailable',
        requestId: 'r2',
        retryAfter: 5,
      },
    });
  });

  it('tells an unknown message (exit 4) from an unknown route', () => {
    expect(answer(404, '{"code":4041,"message":"no message with id m1"}')).toMatchObject({
      failure: { outcome: 'notFound', code: 4041 },
    });
    expect(answer(404, '{"code":4040,"message":"Unknown request"}')).toMatchObject({
      failure: { outcome: 'refused', code: 4040 },
    });
  });

  it('says so when what answers is not the gateway', () => {
    expect(answer(200, '<html>welcome</html>')).toEqual({
      ok: false,
      failure: {
        outcome: 'refused',
        status: 200,
        message: "HTTP 200 with a body that is not JSON: is --url the gateway's API?",
      },
    });
    expect(answer(404, 'Not Found')).toEqual({
      ok: false,
      failure: {
        outcome: 'refused',
        status: 404,
        message: "HTTP 404 without the gateway's error body: is --url the gateway's API?",
      },
    });
    expect(answer(502, '<html>Bad Gateway</html>')).toEqual({
      ok: false,
      failure: { outcome: 'retry', status: 502, message: "HTTP 502 without the gateway's error body" },
    });
  });
});
