/** How big each scenario runs: `full` for the published figures, `smoke` to prove the bench works. */
export interface BenchSizes {
  readonly accept: {
    /** autocannon connections (clients in flight at once). */
    readonly connections: number;
    readonly warmupSeconds: number;
    /** Length of each measured run. */
    readonly seconds: number;
    /** Runs of the baseline and the API, alternated so that a change in the machine's load hits both. */
    readonly rounds: number;
  };
  readonly delivery: {
    /** Backlog drained by each of the three senders. */
    readonly messages: number;
    /** In flight at once: the worker's default WORKER_CONCURRENCY. */
    readonly concurrency: number;
  };
  readonly latency: {
    /** Messages per second, open loop. */
    readonly rate: number;
    readonly warmupSeconds: number;
    readonly seconds: number;
    /** Length of the baseline run straight at the simulator. */
    readonly baselineSeconds: number;
  };
  readonly memory: {
    /** API-shaped jobs waiting. */
    readonly waiting: number;
    /** Then posted through the API with an Idempotency-Key each. */
    readonly withKey: number;
  };
  readonly recovery: {
    readonly outageSeconds: number;
    /** Messages per second posted through the API during the outage. */
    readonly arrivalPerSecond: number;
    /** The worker's RATE_LIMIT_PER_SECOND. */
    readonly rateLimitPerSecond: number;
  };
  readonly peer: {
    /** autocannon connections, at smsbox's sendsms as at the API. */
    readonly connections: number;
    readonly warmupSeconds: number;
    readonly seconds: number;
    /** Accept rounds, and delivery rounds, each Kannel then the gateway. */
    readonly rounds: number;
    /** Backlog each side drains per delivery round. */
    readonly messages: number;
    /** Requests to Kaarai in flight at once: the worker's concurrency, Kannel's max-pending-submits. */
    readonly inFlight: number;
  };
  readonly priority: {
    /** `bulk` messages waiting when the high ones start. */
    readonly bulk: number;
    /** The worker's RATE_LIMIT_PER_SECOND: below what one worker sends flat out. */
    readonly rateLimitPerSecond: number;
    /** `high` messages per second posted through the API, open loop. */
    readonly highPerSecond: number;
    readonly seconds: number;
  };
  readonly deadLetterPages: {
    /** The smaller dead-letter queue: the baseline a page at the larger one is compared with. */
    readonly small: number;
    readonly large: number;
    /** Timed reads of each kind of page; the median is reported. */
    readonly repeats: number;
  };
  readonly archiveLookups: {
    /** Rows of the smaller archive: the baseline a look-up in the larger one is compared with. */
    readonly small: number;
    readonly large: number;
    /** Day partitions the rows are spread over, as a week of retention keeps them. */
    readonly days: number;
    /** Timed look-ups of each kind, at random rows; p50 and p99 are reported. */
    readonly lookups: number;
  };
  readonly archive: {
    /** Messages delivered in each of the three phases (without an archiver, with one, as a backlog). */
    readonly messages: number;
    /** STATUS_HOT_SECONDS while the archiver runs beside the worker: short, so that it passes in the run. */
    readonly hotSeconds: number;
    /** ARCHIVE_BATCH_SIZE (500 in production): below `messages`, so that a drain has batches to time. */
    readonly batchSize: number;
  };
  readonly capacity: {
    readonly connections: number;
    readonly warmupSeconds: number;
    readonly seconds: number;
    /** Backlog for measuring the worker's rate when the delivery scenario did not run. */
    readonly workerMessages: number;
  };
}

export const BENCH_SIZES: Readonly<Record<'full' | 'smoke', BenchSizes>> = {
  full: {
    accept: { connections: 32, warmupSeconds: 3, seconds: 8, rounds: 2 },
    delivery: { messages: 50_000, concurrency: 32 },
    latency: { rate: 500, warmupSeconds: 3, seconds: 20, baselineSeconds: 10 },
    memory: { waiting: 100_000, withKey: 10_000 },
    recovery: { outageSeconds: 30, arrivalPerSecond: 100, rateLimitPerSecond: 200 },
    peer: { connections: 32, warmupSeconds: 3, seconds: 8, rounds: 2, messages: 50_000, inFlight: 32 },
    priority: { bulk: 100_000, rateLimitPerSecond: 500, highPerSecond: 20, seconds: 20 },
    deadLetterPages: { small: 10_000, large: 100_000, repeats: 7 },
    archiveLookups: { small: 100_000, large: 10_000_000, days: 8, lookups: 2_000 },
    archive: { messages: 20_000, hotSeconds: 2, batchSize: 500 },
    capacity: { connections: 32, warmupSeconds: 2, seconds: 10, workerMessages: 10_000 },
  },
  smoke: {
    accept: { connections: 8, warmupSeconds: 0, seconds: 1, rounds: 1 },
    delivery: { messages: 300, concurrency: 32 },
    latency: { rate: 100, warmupSeconds: 0, seconds: 1, baselineSeconds: 1 },
    memory: { waiting: 2_000, withKey: 100 },
    recovery: { outageSeconds: 2, arrivalPerSecond: 50, rateLimitPerSecond: 100 },
    peer: { connections: 8, warmupSeconds: 0, seconds: 1, rounds: 1, messages: 300, inFlight: 32 },
    priority: { bulk: 2_000, rateLimitPerSecond: 200, highPerSecond: 20, seconds: 2 },
    deadLetterPages: { small: 200, large: 2_000, repeats: 3 },
    archiveLookups: { small: 2_000, large: 20_000, days: 8, lookups: 200 },
    archive: { messages: 400, hotSeconds: 1, batchSize: 100 },
    capacity: { connections: 8, warmupSeconds: 0, seconds: 1, workerMessages: 300 },
  },
};
