import type { OutgoingMessage } from 'node:http';
import type { LimitState } from './quota-limit';
import { addRateLimitHeaders, rateLimitItems } from './rate-limit-headers';
import { secondsToUtcMidnight, utcDay } from './utc-day';

const second: LimitState = {
  limit: 'requests_per_second',
  quota: 50,
  windowSeconds: 1,
  remaining: 49,
  resetSeconds: 1,
  allowed: true,
};
const day: LimitState = {
  limit: 'messages_per_day',
  quota: 100_000,
  windowSeconds: 86_400,
  remaining: 0,
  resetSeconds: 3_600,
  allowed: false,
};

/** The header part of a response, as Node keeps it. */
function headers(): OutgoingMessage & { readonly all: Map<string, unknown> } {
  const all = new Map<string, unknown>();
  return {
    all,
    getHeader: (name: string) => all.get(name.toLowerCase()),
    setHeader(name: string, value: unknown) {
      all.set(name.toLowerCase(), value);
      return this;
    },
  } as unknown as OutgoingMessage & { readonly all: Map<string, unknown> };
}

describe('rateLimitItems', () => {
  it('writes a policy and its state as items of draft-ietf-httpapi-ratelimit-headers-11', () => {
    expect(rateLimitItems(second)).toEqual({
      policy: '"requests-per-second";q=50;w=1',
      limit: '"requests-per-second";r=49;t=1',
    });
    expect(rateLimitItems(day)).toEqual({
      policy: '"messages-per-day";q=100000;w=86400',
      limit: '"messages-per-day";r=0;t=3600',
    });
  });
});

describe('addRateLimitHeaders', () => {
  it('lists every limit a request went through in one RateLimit-Policy and one RateLimit', () => {
    const res = headers();
    addRateLimitHeaders(res, second);
    addRateLimitHeaders(res, day);
    expect(res.all.get('ratelimit-policy')).toBe(
      '"requests-per-second";q=50;w=1, "messages-per-day";q=100000;w=86400',
    );
    expect(res.all.get('ratelimit')).toBe('"requests-per-second";r=49;t=1, "messages-per-day";r=0;t=3600');
  });
});

describe('the UTC day', () => {
  it('names the day of a time and counts the seconds to its end', () => {
    const noon = Date.parse('2026-03-01T12:00:00.000Z');
    expect(utcDay(noon)).toBe('2026-03-01');
    expect(secondsToUtcMidnight(noon)).toBe(43_200);
  });

  it('never gives a day less than one second to live', () => {
    expect(secondsToUtcMidnight(Date.parse('2026-03-01T23:59:59.999Z'))).toBe(1);
    expect(secondsToUtcMidnight(Date.parse('2026-03-02T00:00:00.000Z'))).toBe(86_400);
    expect(utcDay(Date.parse('2026-03-01T23:59:59.999Z'))).toBe('2026-03-01');
  });
});
