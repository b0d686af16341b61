import {
  ConfigError,
  cliConfigSchema,
  describeRedisTarget,
  loadConfig,
  namedRedisTarget,
  type RedisTarget,
  redisKeyPrefix,
} from '@sms/config';

/** Where `--direct` finds the dead letters, and what a replayed message gets. */
export interface DirectSettings {
  readonly target: RedisTarget;
  /** The key prefix of the gateway's queues (from QUEUE_PREFIX). */
  readonly prefix: string;
  readonly sendAttempts: number;
  /** What a replayed status callback gets: CALLBACK_ATTEMPTS, and its outbox's STATUS_RETENTION_SECONDS. */
  readonly callbacks: {
    readonly attempts: number;
    readonly outboxRetentionSeconds: number;
  };
  /** The target for messages, without a password. */
  readonly where: string;
  /** The status archive (PostgreSQL), read once Redis has let a record go; none without it. */
  readonly databaseUrl?: string;
}

export type DirectResult =
  | { readonly ok: true; readonly settings: DirectSettings }
  | { readonly ok: false; readonly message: string };

// The variables that name a Redis; --redis-url takes the place of all of them.
const TOPOLOGY_VARIABLES = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_SENTINEL_MASTER', 'REDIS_CLUSTER_NODES'];

export const NO_REDIS_NAMED =
  '--direct needs the Redis to work on: give --redis-url URL, or set REDIS_URL (or REDIS_SENTINELS ' +
  'with REDIS_SENTINEL_MASTER, or REDIS_CLUSTER_NODES) as the gateway has them. It never assumes one.';

/**
 * The Redis of `--direct` from `--redis-url`, else from the gateway's own variables, read with
 * `cliConfigSchema`. Without either it refuses: a default such as 127.0.0.1:6379 would be
 * somebody else's Redis on a shared host. The archive likewise: `--database-url`, else
 * DATABASE_URL, else none.
 */
export function resolveDirect(
  redisUrl: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  databaseUrl?: string,
): DirectResult {
  const redisSource =
    redisUrl === undefined ? env : { ...without(env, TOPOLOGY_VARIABLES), REDIS_URL: redisUrl };
  const source =
    databaseUrl === undefined
      ? redisSource
      : { ...without(redisSource, ['DATABASE_URL']), DATABASE_URL: databaseUrl };
  let config: ReturnType<typeof loadConfig<typeof cliConfigSchema>>;
  try {
    config = loadConfig(cliConfigSchema, source);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const named = [
      ...(redisUrl === undefined ? [] : [' (REDIS_URL is --redis-url here)']),
      ...(databaseUrl === undefined ? [] : [' (DATABASE_URL is --database-url here)']),
    ].join('');
    return { ok: false, message: `${error.message}${named}` };
  }
  const target = namedRedisTarget(config);
  if (target === undefined) return { ok: false, message: NO_REDIS_NAMED };
  return {
    ok: true,
    settings: {
      target,
      prefix: redisKeyPrefix(config.QUEUE_PREFIX),
      sendAttempts: config.SEND_ATTEMPTS,
      callbacks: {
        attempts: config.CALLBACK_ATTEMPTS,
        outboxRetentionSeconds: config.STATUS_RETENTION_SECONDS,
      },
      where: describeRedisTarget(target),
      ...(config.DATABASE_URL !== undefined && { databaseUrl: config.DATABASE_URL }),
    },
  };
}

// The variables and their _FILE forms, which an option takes the place of.
function without(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): Record<string, string | undefined> {
  const rest = { ...env };
  for (const name of names) {
    delete rest[name];
    delete rest[`${name}_FILE`];
  }
  return rest;
}
