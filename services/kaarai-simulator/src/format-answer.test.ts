import { formatAnswer } from './format-answer';

describe('formatAnswer', () => {
  it('writes a JSON object with code and message in the json style', () => {
    expect(formatAnswer('json', 2020, 'Accepted for delivery')).toEqual({
      body: '{"code":2020,"message":"Accepted for delivery"}',
      contentType: 'application/json',
    });
  });

  it("writes the document's wording as a JSON string in the text style", () => {
    expect(formatAnswer('text', 4031, 'Not routable. Do not try again')).toEqual({
      body: '"Code 4031: Not routable. Do not try again"',
      contentType: 'application/json',
    });
  });

  it('writes nothing in the empty style', () => {
    expect(formatAnswer('empty', 5030, 'Temporal failure, try again later')).toEqual({
      body: '',
      contentType: undefined,
    });
  });
});
