import { parseRetryAfter } from './retry-after';

it('reads delta-seconds and HTTP dates, and ignores what is neither', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  expect(parseRetryAfter('1', now)).toBe(1_000);
  expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
  expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  expect(parseRetryAfter(null, now)).toBeUndefined();
  expect(parseRetryAfter('soon', now)).toBeUndefined();
  expect(parseRetryAfter('-1', now)).toBeUndefined();
});
