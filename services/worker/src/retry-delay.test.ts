import { retryDelay } from './retry-delay';

const settings = { baseMs: 1_000, maxMs: 300_000 };
// The largest number Math.random() can return.
const ALMOST_ONE = 1 - Number.EPSILON / 2;

const always = (value: number) => () => value;

describe('retryDelay', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 16_000],
    [8, 128_000],
    [9, 256_000],
    [10, 300_000],
    [20, 300_000],
  ])('draws the delay after attempt %i from [0, %i) ms', (attemptsMade, ceiling) => {
    expect(retryDelay(attemptsMade, settings, 0, always(0))).toBe(0);
    expect(retryDelay(attemptsMade, settings, 0, always(0.5))).toBe(ceiling / 2);
    expect(retryDelay(attemptsMade, settings, 0, always(ALMOST_ONE))).toBe(ceiling - 1);
  });

  it('spreads delays over the whole window rather than clustering them', () => {
    const delays = Array.from({ length: 10 }, (_, i) => retryDelay(4, settings, 0, always(i / 10)));
    expect(delays).toEqual([0, 800, 1_600, 2_400, 3_200, 4_000, 4_800, 5_600, 6_400, 7_200]);
  });

  it('returns whole milliseconds', () => {
    expect(retryDelay(1, { baseMs: 10, maxMs: 1_000 }, 0, always(0.123456))).toBe(1);
  });

  it('treats attempt counts below one like the first attempt', () => {
    expect(retryDelay(0, settings, 0, always(ALMOST_ONE))).toBe(999);
    expect(retryDelay(-3, settings, 0, always(ALMOST_ONE))).toBe(999);
  });

  it('never reaches the cap with random() just below one', () => {
    expect(retryDelay(50, settings, 0, always(ALMOST_ONE))).toBe(settings.maxMs - 1);
  });

  it.each([41, 100, 1_000, 1_000_000, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY])(
    'stays a finite number within the cap after %p attempts',
    (attemptsMade) => {
      const delay = retryDelay(attemptsMade, { baseMs: 3_600_000, maxMs: 86_400_000 }, 0, always(ALMOST_ONE));
      expect(Number.isFinite(delay)).toBe(true);
      expect(delay).toBe(86_400_000 - 1);
    },
  );

  describe('with a Retry-After', () => {
    it('waits at least the Retry-After when the drawn delay is shorter', () => {
      expect(retryDelay(1, settings, 30_000, always(0))).toBe(30_000);
      expect(retryDelay(1, settings, 30_000, always(ALMOST_ONE))).toBe(30_000);
    });

    it('keeps the drawn delay when it is longer than the Retry-After', () => {
      expect(retryDelay(10, settings, 30_000, always(0.5))).toBe(150_000);
    });

    it('caps a Retry-After beyond the longest delay', () => {
      expect(retryDelay(1, settings, 3_600_000, always(0))).toBe(settings.maxMs);
    });

    it('changes nothing with a Retry-After of zero', () => {
      expect(retryDelay(3, settings, 0, always(0.25))).toBe(1_000);
    });
  });

  it('stays in [0, maxMs] for every attempt and any random value', () => {
    for (let attemptsMade = 1; attemptsMade <= 64; attemptsMade++) {
      for (const r of [0, 0.1, 0.5, 0.9, ALMOST_ONE]) {
        const delay = retryDelay(attemptsMade, settings, 0, always(r));
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(settings.maxMs);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it('uses Math.random when no random source is given', () => {
    for (let i = 0; i < 100; i++) {
      const delay = retryDelay(3, settings);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(4_000);
    }
  });
});
