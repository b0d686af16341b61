import type { OutgoingMessage } from 'node:http';
import type { LimitState, QuotaLimit } from './quota-limit';

// The policy names clients see. The day's quota counts messages, a unit the draft's registry
// has no name for, so its name says it.
const POLICY_NAMES: Readonly<Record<QuotaLimit, string>> = {
  requests_per_second: 'requests-per-second',
  messages_per_day: 'messages-per-day',
};

/**
 * The RateLimit-Policy and RateLimit items of one limit, in the form of
 * draft-ietf-httpapi-ratelimit-headers-11 (structured-field lists whose items are policy names
 * as strings): `"requests-per-second";q=50;w=1` and `"requests-per-second";r=49;t=1`.
 */
export function rateLimitItems(state: LimitState): { policy: string; limit: string } {
  const name = `"${POLICY_NAMES[state.limit]}"`;
  return {
    policy: `${name};q=${state.quota};w=${state.windowSeconds}`,
    limit: `${name};r=${state.remaining};t=${state.resetSeconds}`,
  };
}

/** Adds a limit's items to the response's RateLimit-Policy and RateLimit lists. */
export function addRateLimitHeaders(res: OutgoingMessage, state: LimitState): void {
  const { policy, limit } = rateLimitItems(state);
  const append = (name: string, item: string) => {
    const earlier = res.getHeader(name);
    res.setHeader(name, earlier === undefined ? item : `${String(earlier)}, ${item}`);
  };
  append('RateLimit-Policy', policy);
  append('RateLimit', limit);
}
