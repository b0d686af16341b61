import { z } from 'zod';
import { envAddressList, envFlag, envInt } from './env-types';

/**
 * Where the gateway's Redis is: one of REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES
 * (`redisTopologyProblems` refuses two), turned into a `RedisTarget` by `redisTargetOf`.
 */
export const redisConfigShape = {
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'must start with redis:// or rediss://' })
    .optional()
    .describe(
      'One Redis server (or a proxy or managed endpoint that follows the primary), as redis://[user:password@]host:port[/db], or rediss:// for TLS. Default redis://127.0.0.1:6379 when neither REDIS_SENTINELS nor REDIS_CLUSTER_NODES is set.',
    ),
  REDIS_SENTINELS: envAddressList(26_379)
    .optional()
    .describe(
      'Redis Sentinel instead of REDIS_URL: the sentinels as comma-separated host:port (port 26379 when left out); with REDIS_SENTINEL_MASTER. Default none.',
    ),
  REDIS_SENTINEL_MASTER: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, { error: 'must be letters, digits, ., _ or -' })
    .optional()
    .describe(
      'Name of the primary the sentinels watch (their `sentinel monitor` name); required with REDIS_SENTINELS. Default none.',
    ),
  REDIS_SENTINEL_PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Password of the sentinels themselves (their requirepass), when they have one. Default none. Secret: use REDIS_SENTINEL_PASSWORD_FILE.',
    ),
  REDIS_CLUSTER_NODES: envAddressList(6_379)
    .optional()
    .describe(
      'Redis Cluster instead of REDIS_URL: some of its nodes as comma-separated host:port (port 6379 when left out), from which the others are discovered. Default none.',
    ),
  REDIS_USERNAME: z
    .string()
    .min(1)
    .optional()
    .describe(
      'ACL user of the Redis servers (not the sentinels), when they use ACLs; with REDIS_URL only when the URL names none. Default none (the default user).',
    ),
  REDIS_PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Password of the Redis servers (not the sentinels); with REDIS_URL only when the URL has none. Default none. Secret: use REDIS_PASSWORD_FILE.',
    ),
  REDIS_TLS: envFlag().describe(
    'Speak TLS to the servers and sentinels of REDIS_SENTINELS or to the nodes of REDIS_CLUSTER_NODES (REDIS_URL says it with rediss://); extra CAs through NODE_EXTRA_CA_CERTS. Default false.',
  ),
};

/** Settings every gateway process shares. */
export const sharedConfigShape = {
  ...redisConfigShape,
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'must be letters, digits, _ or -' })
    .default('sms')
    .describe(
      'Names the gateway in Redis: every key it writes starts with {QUEUE_PREFIX}: (one Redis Cluster hash slot), so several gateways can share a Redis. Default sms.',
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
    .default('info')
    .describe('Log level: fatal, error, warn, info, debug or trace. Default info.'),
  SHUTDOWN_TIMEOUT_MS: envInt(0, 600_000)
    .default(15_000)
    .describe(
      'On SIGTERM, how long in-flight work may take before the process exits anyway, in ms. Default 15000.',
    ),
  // Shared: the worker writes status records, the API writes the index of their references and
  // the records of canceled messages, and all must last as long.
  STATUS_RETENTION_SECONDS: envInt(60, 31_536_000)
    .default(604_800)
    .describe(
      'How long a status record (and the look-up of its message by reference) is kept after its last change, in seconds. Default 604800 (7 days).',
    ),
};
