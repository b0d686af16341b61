/**
 * Histogram buckets, in seconds. A provider call normally takes tens to hundreds of
 * milliseconds and is cut off by the client timeout (seconds); an API request should take a few
 * milliseconds.
 */
export const PROVIDER_CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
export const API_REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
