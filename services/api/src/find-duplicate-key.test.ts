import { findDuplicateKey } from './find-duplicate-key';

describe('findDuplicateKey', () => {
  it.each([
    ['{"to":"1","to":"2"}', 'to'],
    ['{"to":"1","text":"a","text":"b"}', 'text'],
    ['{"text":"a","t\\u0065xt":"b"}', 'text'],
    ['{"a":{"b":1,"b":2}}', 'b'],
    ['[{"a":1},{"b":1,"b":2}]', 'b'],
    ['{"a":[1,{"c":1}],"a":2}', 'a'],
    ['{"":1,"":2}', ''],
    ['{"__proto__":1,"__proto__":2}', '__proto__'],
  ])('finds the name repeated in %s', (json, name) => {
    expect(findDuplicateKey(json)).toBe(name);
  });

  it.each([
    '{"to":"573001234567","text":"hi"}',
    '{"a":{"a":{"a":1}}}',
    '{"a":1,"b":{"a":2}}',
    '[{"a":1},{"a":2}]',
    '{"a":["a","a"],"b":"a"}',
    '{"to":"a","text":"\\"to\\": 1, \\"to\\""}',
    '{"a":"\\\\","b":1}',
    '"just a string"',
    '{"to":',
    '',
  ])('finds none in %s', (json) => {
    expect(findDuplicateKey(json)).toBeUndefined();
  });

  it('reads nesting far deeper than the call stack allows', () => {
    const depth = 200_000;
    expect(findDuplicateKey(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)).toBeUndefined();
    expect(findDuplicateKey(`${'['.repeat(depth)}{"x":1,"x":2}${']'.repeat(depth)}`)).toBe('x');
  });
});
