/** The two limits a client can have; also the `limit` label of the refusal metric. */
export type QuotaLimit = 'requests_per_second' | 'messages_per_day';

/** What one limit says about a request: its policy, and what is left of it after the request. */
export interface LimitState {
  readonly limit: QuotaLimit;
  /** The quota of the window: requests, or messages. */
  readonly quota: number;
  readonly windowSeconds: number;
  /** What is left in the current window; what was left before the request when it is refused. */
  readonly remaining: number;
  /** Whole seconds until the current window ends (at least 1). */
  readonly resetSeconds: number;
  readonly allowed: boolean;
}
