import { z } from 'zod';
import { callbackConfigShape } from './callback-settings';
import { databaseUrl } from './database-url';
import { envInt } from './env-types';
import { type RedisTarget, redisTargetOf } from './redis-target';
import { redisTopologyProblems } from './redis-topology-problems';
import { redisConfigShape, sharedConfigShape } from './shared-config';

/**
 * What `sms dlq ... --direct` and `sms callbacks ... --direct` (`services/cli`) read: where the
 * queues are, and what a replayed message or status callback gets. Unlike the services it has no default Redis: on a shared host the default would
 * be somebody else's.
 */
export const cliConfigSchema = z
  .object({
    ...redisConfigShape,
    REDIS_URL: redisConfigShape.REDIS_URL.describe(
      'One Redis server (or a proxy or managed endpoint that follows the primary), as redis://[user:password@]host:port[/db], or rediss:// for TLS; --redis-url takes its place. No default: --direct needs it, REDIS_SENTINELS or REDIS_CLUSTER_NODES.',
    ),
    QUEUE_PREFIX: sharedConfigShape.QUEUE_PREFIX,
    DATABASE_URL: databaseUrl().describe(
      "The gateway's status archive (PostgreSQL), as postgres://[user:password@]host:port/database, where --direct reads a dead letter's status and history once Redis has let them go; --database-url takes its place. Default none: Redis alone. Secret: use DATABASE_URL_FILE.",
    ),
    SEND_ATTEMPTS: envInt(1, 100)
      .default(8)
      .describe(
        'Attempts a replayed message gets to reach Kaarai before it ends as failed again; keep it equal to the API. Default 8.',
      ),
    CALLBACK_ATTEMPTS: callbackConfigShape.CALLBACK_ATTEMPTS.describe(
      'Attempts a replayed status callback (sms callbacks --direct) gets before it is given up again; keep it equal to the API and worker. Default 12.',
    ),
    STATUS_RETENTION_SECONDS: sharedConfigShape.STATUS_RETENTION_SECONDS.describe(
      "How long a replayed status callback's message outbox is kept, in seconds; keep it equal to the API and worker. Default 604800 (7 days).",
    ),
  })
  // `when` runs the check even when another variable is invalid, so one error lists all.
  .superRefine(
    (config, ctx) => {
      for (const [key, message] of redisTopologyProblems(config))
        ctx.addIssue({ code: 'custom', path: [key], message });
    },
    { when: () => true },
  );

export type CliConfig = z.infer<typeof cliConfigSchema>;

/** The Redis the configuration names; undefined when it names none (never the default server). */
export function namedRedisTarget(config: CliConfig): RedisTarget | undefined {
  const named =
    config.REDIS_URL !== undefined ||
    config.REDIS_SENTINELS !== undefined ||
    config.REDIS_CLUSTER_NODES !== undefined;
  return named ? redisTargetOf(config) : undefined;
}
