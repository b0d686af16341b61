/**
 * Redis' own reasons for refusing a command, by the error code its reply starts with: the fault
 * is Redis' state, not the command, so the work must wait for Redis rather than count as a failed
 * attempt. Connection errors are not here: worker connections queue commands until they
 * reconnect, and producer connections fail them at once (the API answers 503).
 */
const REFUSALS: Readonly<Record<string, string>> = {
  OOM: 'Redis is out of memory (maxmemory reached) and refuses writes',
  MISCONF: 'Redis cannot persist to disk and refuses writes',
  READONLY: 'Redis is a read-only replica',
  NOREPLICAS: 'Redis has too few replicas to take writes',
  MASTERDOWN: 'the Redis replica lost its primary',
  LOADING: 'Redis is loading its data set',
  BUSY: 'Redis is busy running a script',
  CLUSTERDOWN: 'the Redis Cluster is down',
  TRYAGAIN: 'the Redis Cluster is moving a slot',
};

// A script's error carries the code of the command that failed inside it, after Redis' prefix.
const CODE = /^(?:ERR Error running script[^:]*: )?-?([A-Z]+)\b/;

/** Redis refused a command because of its own state. */
export interface RedisRefusal {
  /** The reply's error code, e.g. `OOM`. */
  readonly code: string;
  /** What it means, for a log line or a readiness answer. */
  readonly reason: string;
}

/**
 * The refusal an error is, or undefined for any other error. A transaction discarded because a
 * command was refused when queued (`EXECABORT`) is that command's refusal.
 */
export function redisRefusalOf(error: unknown): RedisRefusal | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = CODE.exec(error.message)?.[1];
  if (code === 'EXECABORT') {
    const previous = (error as Error & { previousErrors?: unknown[] }).previousErrors ?? [];
    return previous.map(redisRefusalOf).find((refusal) => refusal !== undefined);
  }
  if (code === undefined || !Object.hasOwn(REFUSALS, code)) return undefined;
  return { code, reason: REFUSALS[code]! };
}
