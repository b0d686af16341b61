/**
 * Histogram buckets, in seconds unless said otherwise, chosen for SMS latencies:
 * - an API request takes a few milliseconds (Redis round trips), a slow one tens;
 * - a call to Kaarai takes tens to hundreds of milliseconds and is cut off by the client
 *   timeout (seconds);
 * - end to end, a message is normally accepted within a second, after retries within minutes,
 *   and after an outage or a hold within hours (up to its validity);
 * - a Redis round trip takes well under a millisecond on a healthy network, and a PING left
 *   unanswered for a second counts as Redis unreachable.
 */
export const API_REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
export const PROVIDER_CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
export const DELIVERY_LATENCY_BUCKETS = [
  0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600, 14_400,
];
export const REDIS_COMMAND_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** Attempts per delivered message (a count, not seconds). */
export const DELIVERY_ATTEMPT_BUCKETS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20];
