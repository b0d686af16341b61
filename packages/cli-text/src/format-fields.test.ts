import { formatFields } from './format-fields';

describe('formatFields', () => {
  it('aligns the values, leaves out fields without one and defuses control characters', () => {
    expect(
      formatFields([
        ['id', 'm1'],
        ['reference', undefined],
        ['last message', 'Not \u001b[2Jroutable'],
      ]),
    ).toBe(['id            m1', 'last message  Not \\u{1b}[2Jroutable'].join('\n'));
  });

  it('prints nothing for a record without values', () => {
    expect(formatFields([['id', undefined]])).toBe('');
  });
});
