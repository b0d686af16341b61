import { maskNumber } from './mask-number';

const DIGITS = '573001234567890123456789';

function revealedDigits(masked: string): number {
  return masked.replace(/\*/g, '').length;
}

describe('maskNumber', () => {
  it.each([
    ['573001234567', '5730******67'],
    ['573001234567890', '5730*********90'],
    ['5730012', '57***12'],
    ['57300123', '573***23'],
    ['573001234', '5730***34'],
    ['573001', '5***01'],
    ['85432', '*****'],
    ['123', '***'],
    ['', ''],
  ])('masks %p as %p', (number, masked) => {
    expect(maskNumber(number)).toBe(masked);
  });

  it.each(Array.from({ length: DIGITS.length + 1 }, (_, length) => [length]))(
    'keeps the length, hides at least three middle digits and reveals at most 6 of a %i-digit number',
    (length) => {
      const number = DIGITS.slice(0, length);
      const masked = maskNumber(number);
      expect(masked).toHaveLength(length);
      expect(revealedDigits(masked)).toBeLessThanOrEqual(6);
      expect(masked.length - revealedDigits(masked)).toBeGreaterThanOrEqual(Math.min(3, length));
      // What is shown is the number's own start and end, never a shuffled or invented digit.
      const start = masked.match(/^[^*]*/)![0];
      const end = masked.match(/[^*]*$/)![0];
      expect(number.startsWith(start)).toBe(true);
      expect(number.endsWith(end)).toBe(true);
      expect(masked).toMatch(/^[^*]*\**[^*]*$/);
    },
  );

  it('hides every digit of numbers of five digits or fewer, such as short codes', () => {
    for (const number of ['1', '12', '123', '1234', '12345']) {
      expect(revealedDigits(maskNumber(number))).toBe(0);
    }
  });
});
