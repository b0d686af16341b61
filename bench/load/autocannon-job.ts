/** What `autocannon-child.ts` runs: a JSON-serialisable subset of autocannon's options. */
export interface AutocannonJob {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly connections: number;
  /** Not measured: fills connection pools, JIT and Redis' script cache first. */
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  /** Stop after this many requests instead of after `durationSeconds`. */
  readonly amount?: number;
  /** Replace each `[<id>]` in the request (body and headers) by a unique id. */
  readonly idReplacement?: boolean;
}

/** What the child reports of the measured run. */
export interface AutocannonResult {
  readonly seconds: number;
  readonly requests: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    readonly mean: number;
  };
}
