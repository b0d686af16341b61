import { ApiError } from '../api-error';
import { readBatch } from './read-batch';

const limits = { maxTextLength: 160, maxValiditySeconds: 86_400, maxBatchMessages: 3 };

function refusalOf(body: unknown): ApiError {
  try {
    readBatch(body, limits);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('readBatch', () => {
  it('judges every message as POST /v1/sms does, in order', () => {
    const items = readBatch(
      {
        messages: [
          { to: '+573001234567', text: 'hi' },
          { to: '12', text: 'hi' },
          { to: '573001234567', text: 'bell \u0007' },
        ],
      },
      limits,
    );
    expect(items).toEqual([
      { ok: true, value: { to: '573001234567', text: 'hi' } },
      { ok: false, error: expect.objectContaining({ code: 4003, field: 'to' }) },
      { ok: false, error: expect.objectContaining({ code: 4005, field: 'text' }) },
    ]);
  });

  it.each([
    ['a list', [{ to: '573001234567', text: 'hi' }], 4011, undefined],
    ['a string', 'messages', 4011, undefined],
    ['null', null, 4011, undefined],
    ['no messages', {}, 4011, 'messages'],
    ['messages that are not a list', { messages: { to: '573001234567' } }, 4011, 'messages'],
    ['an empty list', { messages: [] }, 4011, 'messages'],
    ['another field', { messages: [], priority: 1 }, 4006, 'priority'],
  ])('refuses %s as a whole', (_name, body, code, field) => {
    const refusal = refusalOf(body);
    expect(refusal).toMatchObject({ code, field });
  });

  it('refuses more messages than the limit with 413 and 4131', () => {
    const message = { to: '573001234567', text: 'hi' };
    expect(refusalOf({ messages: [message, message, message, message] })).toMatchObject({
      code: 4131,
      httpStatus: 413,
      message: 'the batch has 4 messages; the most is 3',
    });
  });
});
