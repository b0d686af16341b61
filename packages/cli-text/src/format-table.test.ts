import { formatColumns, formatTable, printable, truncate } from './format-table';

describe('formatTable', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      formatTable(
        ['ID', 'REASON', 'MESSAGE'],
        [
          ['a', 'rejected', 'Not routable'],
          ['bbbb', 'expired', ''],
        ],
      ),
    ).toBe(['ID    REASON    MESSAGE', 'a     rejected  Not routable', 'bbbb  expired'].join('\n'));
  });
});

describe('formatColumns', () => {
  it('aligns rows without a header, whatever their length', () => {
    expect(formatColumns([['send', 'send an SMS'], ['dlq list', 'dead letters'], ['x']])).toBe(
      ['send      send an SMS', 'dlq list  dead letters', 'x'].join('\n'),
    );
  });
});

describe('printable', () => {
  it('shows control characters instead of letting the terminal obey them', () => {
    expect(printable('red \u001b[31m\r\nbell\u0007')).toBe('red \\u{1b}[31m\\u{d}\\u{a}bell\\u{7}');
    expect(printable('two\nlines\t', true)).toBe('two\nlines\\u{9}');
  });
});

describe('truncate', () => {
  it('marks where it cut', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcd', 4)).toBe('abcd');
  });
});
