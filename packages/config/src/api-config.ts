import { z } from 'zod';
import { envInt } from './env-types';
import { redisTopologyProblems } from './redis-topology-problems';
import { sharedConfigShape } from './shared-config';

const CLIENT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * `name=key,name2=key2` into a map from key to name. `role` names the holder of a key in the
 * messages: "client" for API_KEYS, "admin" for ADMIN_API_KEYS.
 */
function keyPairs(role: 'client' | 'admin') {
  return z.string().transform((value, ctx) => {
    const keys = new Map<string, string>();
    const entries = value
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    if (entries.length === 0)
      ctx.addIssue({ code: 'custom', message: `needs at least one ${role}=key entry` });
    for (const entry of entries) {
      const separator = entry.indexOf('=');
      const name = entry.slice(0, separator);
      const key = entry.slice(separator + 1);
      if (separator < 1 || !CLIENT_NAME.test(name)) {
        // Never echo the entry whole: without "=" it may be a bare key.
        const shown = separator < 1 ? entry.slice(0, 4) : name.slice(0, 16);
        ctx.addIssue({ code: 'custom', message: `entry "${shown}…" must look like ${role}=key` });
      } else if (key.length < 16) {
        ctx.addIssue({
          code: 'custom',
          message: `the key of ${role} "${name}" must be at least 16 characters`,
        });
      } else if (keys.has(key)) {
        ctx.addIssue({ code: 'custom', message: `${role} "${name}" reuses another ${role}'s key` });
      } else {
        keys.set(key, name);
      }
    }
    return keys;
  });
}

export const apiConfigSchema = z
  .object({
    ...sharedConfigShape,
    API_PORT: envInt(0, 65_535).default(8080).describe('Port of the HTTP API. Default 8080.'),
    API_HOST: z.string().default('0.0.0.0').describe('Address the HTTP API listens on. Default 0.0.0.0.'),
    API_KEYS: keyPairs('client').describe(
      'Required. Callers and their keys as client=key pairs, comma-separated; keys of 16+ characters. Secret: use API_KEYS_FILE.',
    ),
    MAX_TEXT_LENGTH: envInt(1, 10_000)
      .default(1_600)
      .describe('Longest accepted text, in characters. Default 1600.'),
    MAX_BODY_BYTES: envInt(256, 1_048_576)
      .default(16_384)
      .describe('Largest accepted request body, in bytes; larger ones get 413. Default 16384.'),
    SEND_ATTEMPTS: envInt(1, 100)
      .default(8)
      .describe('Attempts to deliver a message to Kaarai before it ends as failed. Default 8.'),
    DEFAULT_VALIDITY_SECONDS: envInt(30, 604_800)
      .default(14_400)
      .describe(
        'How long a message stays worth sending when the request has no validFor, in seconds. Default 14400 (4 h).',
      ),
    MAX_VALIDITY_SECONDS: envInt(30, 604_800)
      .default(172_800)
      .describe('Longest validFor a request may ask for, in seconds. Default 172800 (48 h).'),
    ENQUEUE_TIMEOUT_MS: envInt(100, 30_000)
      .default(1_500)
      .describe('How long a request may wait for Redis before it is answered 503, in ms. Default 1500.'),
    REDIS_WAIT_REPLICAS: envInt(0, 16)
      .default(0)
      .describe(
        'Replicas that must hold a message before the API answers 202 (Redis WAIT after each enqueue), so that a failover loses none; 503 when fewer confirm in time. 0 answers once the primary holds it. Default 0.',
      ),
    REDIS_WAIT_TIMEOUT_MS: envInt(1, 30_000)
      .default(1_000)
      .describe(
        'How long the API waits for REDIS_WAIT_REPLICAS replicas to confirm a message, in ms; below ENQUEUE_TIMEOUT_MS. Default 1000.',
      ),
    ADMIN_API_KEYS: keyPairs('admin')
      .optional()
      .describe(
        'Operators allowed on /v1/admin and the queue UI (/admin/queues), with their keys, as admin=key pairs like API_KEYS; no key may also be in API_KEYS. Default none. Secret: use ADMIN_API_KEYS_FILE.',
      ),
    // At most the worker's default STATUS_RETENTION_SECONDS: a repeated request finds the message
    // finished by its status record, and once that record is gone it would be sent again.
    IDEMPOTENCY_TTL_SECONDS: envInt(60, 604_800)
      .default(86_400)
      .describe(
        "How long an Idempotency-Key is remembered, in seconds; keep it below the worker's STATUS_RETENTION_SECONDS. Default 86400 (24 h).",
      ),
  })
  // An admin key that is also a client key would open /v1/admin to that client. Checked even
  // when another variable is invalid, so that one start-up error lists every problem.
  .superRefine(
    (config, ctx) => {
      const defaultValidity: unknown = config.DEFAULT_VALIDITY_SECONDS;
      const maxValidity: unknown = config.MAX_VALIDITY_SECONDS;
      if (
        typeof defaultValidity === 'number' &&
        typeof maxValidity === 'number' &&
        defaultValidity > maxValidity
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['DEFAULT_VALIDITY_SECONDS'],
          message: 'must not exceed MAX_VALIDITY_SECONDS',
        });
      }
      const waitReplicas: unknown = config.REDIS_WAIT_REPLICAS;
      const waitTimeout: unknown = config.REDIS_WAIT_TIMEOUT_MS;
      const enqueueTimeout: unknown = config.ENQUEUE_TIMEOUT_MS;
      if (
        typeof waitReplicas === 'number' &&
        waitReplicas > 0 &&
        typeof waitTimeout === 'number' &&
        typeof enqueueTimeout === 'number' &&
        waitTimeout >= enqueueTimeout
      ) {
        // The request would time out first, and the caller would not learn why.
        ctx.addIssue({
          code: 'custom',
          path: ['REDIS_WAIT_TIMEOUT_MS'],
          message: 'must be below ENQUEUE_TIMEOUT_MS',
        });
      }
      for (const [key, message] of redisTopologyProblems(config))
        ctx.addIssue({ code: 'custom', path: [key], message });
      const clients: unknown = config.API_KEYS;
      const admins: unknown = config.ADMIN_API_KEYS;
      if (!(clients instanceof Map) || !(admins instanceof Map)) return;
      for (const [key, admin] of admins) {
        if (clients.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['ADMIN_API_KEYS'],
            message: `the key of admin "${admin}" is also a client's key in API_KEYS`,
          });
        }
      }
    },
    { when: () => true },
  );

export type ApiConfig = z.infer<typeof apiConfigSchema>;
