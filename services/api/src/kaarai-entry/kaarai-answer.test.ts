import { API_ERROR_CODES, type ApiErrorCode, KAARAI_CODES } from '@sms/contracts';
import { ApiError } from '../api-error';
import { kaaraiAnswerFor, kaaraiCodeFor, QUEUED_ANSWER } from './kaarai-answer';

// The codes Kaarai's document lists for its send answers, but 4031 (a routing refusal the
// gateway cannot know of): the entry answers with these only.
const DOCUMENTED = [2021, 4000, 4001, 4002, 4003, 4030, 4040, 5030];
const context = { contentDetail: 'text/plain', user: 'shop' };

describe('kaaraiCodeFor', () => {
  const codes = Object.keys(API_ERROR_CODES).map(Number) as ApiErrorCode[];

  it.each(codes)('answers gateway code %p with a code of the document, with its HTTP status', (code) => {
    const error = new ApiError(code);
    const answer = kaaraiAnswerFor(error, context);
    expect(DOCUMENTED).toContain(answer.body.code);
    expect(answer.httpStatus).toBe(KAARAI_CODES[answer.body.code].httpStatus);
  });

  it.each([
    [4000, undefined, 4000],
    [4001, 'to', 4001],
    [4002, 'text', 4002],
    [4003, 'to', 4003],
    [4005, 'text', 4002],
    [4004, 'from', 4000],
    [4006, 'priority', 4000],
    [4007, undefined, 4000],
    [4009, 'validFor', 4000],
    [4130, undefined, 4000],
    [4030, undefined, 4030],
    [4032, 'from', 4030],
    [4040, undefined, 4040],
    [4290, undefined, 5030],
    [4291, undefined, 5030],
    [5000, undefined, 5030],
    [5030, undefined, 5030],
  ] as const)('reads gateway %p (field %p) as Kaarai %p', (code, field, kaarai) => {
    expect(kaaraiCodeFor(new ApiError(code, 'why', field))).toBe(kaarai);
  });

  it.each([...Object.getOwnPropertyNames(Object.prototype), 'prototype'])(
    'reads an unknown field named %p as any other unknown field, 4000',
    (field) => {
      expect(kaaraiCodeFor(new ApiError(4006, 'why', field))).toBe(4000);
    },
  );
});

describe('kaaraiAnswerFor', () => {
  it('words each answer as the document does, filling in «xxx» for 4000 and 4030', () => {
    expect(kaaraiAnswerFor(new ApiError(4000), context)).toEqual({
      httpStatus: 400,
      body: { code: 4000, message: 'Invalid content-type: text/plain' },
    });
    expect(kaaraiAnswerFor(new ApiError(4030), context)).toEqual({
      httpStatus: 403,
      body: { code: 4030, message: 'Authorization failed for user: shop' },
    });
    expect(kaaraiAnswerFor(new ApiError(4001, 'x', 'to'), context).body.message).toBe(
      'Missing receiver number, rejected',
    );
    expect(kaaraiAnswerFor(new ApiError(4005, 'too long', 'text'), context).body.message).toBe(
      'Missing text message, rejected',
    );
    expect(kaaraiAnswerFor(new ApiError(4003, 'x', 'to'), context).body.message).toBe(
      'Invalid receiver number, rejected',
    );
    expect(kaaraiAnswerFor(new ApiError(4040), context).body.message).toBe('Unknown request');
    expect(kaaraiAnswerFor(new ApiError(4291), context)).toEqual({
      httpStatus: 503,
      body: { code: 5030, message: 'Temporal failure, try again later' },
    });
  });

  it('answers an accepted message 202 with 2021, queued for later delivery', () => {
    expect(QUEUED_ANSWER).toEqual({
      httpStatus: 202,
      body: { code: 2021, message: 'Queued for later delivery' },
    });
  });
});
