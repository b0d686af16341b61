import { type AttemptOutcome, DEFAULT_RETRY, isRetryable, retryDelayMs } from './retry-policy';

const answer = (status: number, retryAfterMs?: number): AttemptOutcome => ({
  kind: 'answer',
  status,
  retryAfterMs,
});

it.each([
  ['no answer', { kind: 'no-answer' } as const, true],
  ['503 with Retry-After', answer(503, 1_000), true],
  ['503 without Retry-After (a proxy)', answer(503), true],
  ['429 with Retry-After', answer(429, 1_000), true],
  ['429 without Retry-After', answer(429), false],
  ['400', answer(400), false],
  ['401', answer(401), false],
  ['404', answer(404), false],
  ['408', answer(408), false],
  ['409', answer(409), false],
  ['422', answer(422), false],
  ['500', answer(500), false],
])('retries %s: %s', (_name, outcome, expected) => {
  expect(isRetryable(outcome)).toBe(expected);
});

it('waits a jittered delay under a ceiling that doubles up to maxDelayMs', () => {
  const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
  expect([1, 2, 3, 4, 5, 10].map((retry) => retryDelayMs(retry, undefined, options, () => 0.999999))).toEqual(
    [99, 199, 399, 799, 999, 999],
  );
  expect(retryDelayMs(3, undefined, options, () => 0)).toBe(0);
});

it('never waits less than Retry-After, even past maxDelayMs', () => {
  const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
  expect(retryDelayMs(1, 2_000, options, () => 0.5)).toBe(2_000);
  expect(retryDelayMs(5, 10, options, () => 0.5)).toBe(500);
});
