import { z } from 'zod';
import { callbackConfigProblems, callbackConfigShape } from './callback-settings';
import { clientDeliveryModes } from './client-delivery-modes';
import { CLIENT_NAME } from './client-name';
import { clientQuota, clientQuotas } from './client-quotas';
import { clientsWithoutKeys } from './clients-without-keys';
import { databaseUrl } from './database-url';
import { envSchema } from './env-schema';
import { envFlag, envIntOr, envListenHost, envPort } from './env-types';
import { redisTopologyProblems } from './redis-topology-problems';
import { senderIdConfigProblems, senderIdConfigShape } from './sender-id-settings';
import { sharedConfigShape } from './shared-config';
import { tracingConfigShape } from './tracing-config';

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

export const apiConfigSchema = envSchema(
  {
    ...sharedConfigShape,
    ...callbackConfigShape,
    ...senderIdConfigShape,
    ...tracingConfigShape,
    API_PORT: envPort(8080).describe('Port of the HTTP API. Default 8080.'),
    API_HOST: envListenHost().describe('Address the HTTP API listens on. Default 0.0.0.0.'),
    ADMIN_PORT: envPort(9101).describe(
      'Port of the internal server: /metrics, /v1/admin and the queue UI (/admin/queues), which API_PORT never serves; also /healthz and /readyz. Default 9101.',
    ),
    ADMIN_HOST: envListenHost().describe(
      'Address the internal server (ADMIN_PORT) listens on. Default 0.0.0.0.',
    ),
    REQUEST_TIMEOUT_MS: envIntOr(1_000, 300_000, 10_000).describe(
      'Longest a client may take to send a whole request, headers and body, in ms; a slower one is answered 408 and its connection closed (a batch of MAX_BATCH_BODY_BYTES must arrive within it). Default 10000.',
    ),
    HEADERS_TIMEOUT_MS: envIntOr(1_000, 300_000, 5_000).describe(
      'Longest a client may take to send the headers of a request, in ms, at most REQUEST_TIMEOUT_MS; a slower one is answered 408 and its connection closed. Default 5000.',
    ),
    MAX_CONNECTIONS: envIntOr(1, 1_000_000, 1_000).describe(
      'Most client connections one API process keeps open at once; one more is closed as soon as it is accepted. Default 1000.',
    ),
    API_KEYS: keyPairs('client').describe(
      'Required. Callers and their keys as client=key pairs, comma-separated; keys of 16+ characters. Secret: use API_KEYS_FILE.',
    ),
    MAX_TEXT_LENGTH: envIntOr(1, 10_000, 1_600).describe(
      'Longest accepted text, in characters. Default 1600.',
    ),
    MAX_BODY_BYTES: envIntOr(256, 1_048_576, 16_384).describe(
      'Largest accepted request body, in bytes; larger ones get 413. Default 16384.',
    ),
    SEND_ATTEMPTS: envIntOr(1, 100, 8).describe(
      'Attempts to deliver a message to Kaarai before it ends as failed. Default 8.',
    ),
    DEFAULT_VALIDITY_SECONDS: envIntOr(30, 604_800, 14_400).describe(
      'How long a message stays worth sending when the request has no validFor, in seconds. Default 14400 (4 h).',
    ),
    MAX_VALIDITY_SECONDS: envIntOr(30, 604_800, 172_800).describe(
      'Longest validFor a request may ask for, in seconds. Default 172800 (48 h).',
    ),
    MAX_SCHEDULE_SECONDS: envIntOr(60, 31_536_000, 2_592_000).describe(
      'Farthest ahead a request may schedule a message (sendAt), in seconds. Default 2592000 (30 days).',
    ),
    MAX_SEGMENTS: envIntOr(1, 255, 10).describe(
      'Most SMS parts a text may take (160 GSM-7 or 70 UCS-2 characters alone, 153 or 67 per part when split); a longer text gets 400 (4018). Default 10.',
    ),
    ENQUEUE_TIMEOUT_MS: envIntOr(100, 30_000, 1_500).describe(
      'How long a request may wait for Redis before it is answered 503, in ms; Redis refuses an enqueue that reaches it after two thirds of this, so that a 503 leaves nothing stored. Default 1500.',
    ),
    REDIS_WAIT_REPLICAS: envIntOr(0, 16, 0).describe(
      'Replicas that must hold a message before the API answers 202 (Redis WAIT after each enqueue), so that a failover loses none; 503 when fewer confirm in time. 0 answers once the primary holds it. Default 0.',
    ),
    REDIS_WAIT_TIMEOUT_MS: envIntOr(1, 30_000, 1_000).describe(
      'How long the API waits for REDIS_WAIT_REPLICAS replicas to confirm a message, in ms; below ENQUEUE_TIMEOUT_MS. Default 1000.',
    ),
    ADMIN_API_KEYS: keyPairs('admin')
      .optional()
      .describe(
        'Operators allowed on /v1/admin and the queue UI (/admin/queues), with their keys, as admin=key pairs like API_KEYS; no key may also be in API_KEYS. Default none. Secret: use ADMIN_API_KEYS_FILE.',
      ),
    QUEUE_UI_SHOW_MESSAGES: envFlag().describe(
      'Whether the queue UI (/admin/queues) shows receivers, numeric senders and texts in full; otherwise numbers are masked as in status answers and texts hidden. Default false.',
    ),
    // At most the worker's default STATUS_RETENTION_SECONDS: a repeated request finds the message
    // finished by its status record, and once that record is gone it would be sent again.
    IDEMPOTENCY_TTL_SECONDS: envIntOr(60, 604_800, 86_400).describe(
      "How long an Idempotency-Key is remembered, in seconds; keep it below the worker's STATUS_RETENTION_SECONDS. Default 86400 (24 h).",
    ),
    MAX_BATCH_MESSAGES: envIntOr(1, 10_000, 1_000).describe(
      'Most messages in one POST /v1/sms/batch; a longer list gets 413 (4131). Default 1000.',
    ),
    MAX_BATCH_BODY_BYTES: envIntOr(1_024, 67_108_864, 4_194_304).describe(
      'Largest accepted body of POST /v1/sms/batch, in bytes; larger ones get 413 (4130). At least MAX_BODY_BYTES. Default 4194304 (4 MiB: 1000 messages of 1600 ASCII characters take about 1.7 MB).',
    ),
    CLIENT_QUOTAS: clientQuotas()
      .optional()
      .describe(
        'Limits per client of API_KEYS, as client=limits pairs, comma-separated: N/s (requests per second to the send routes; a batch is one) and N/d (messages per UTC day; a batch of N is N), joined by ":" as in shop=50/s:100000/d,crm=5/s, or none. Shared by every API replica through Redis. Clients not listed get DEFAULT_CLIENT_QUOTA. Default none.',
      ),
    CLIENT_DELIVERY_MODES: clientDeliveryModes()
      .optional()
      .describe(
        'Delivery mode per client of API_KEYS for messages whose request names none (and every message of the Kaarai-compatible entry), as client=mode pairs, comma-separated: at-least-once or at-most-once, as in shop=at-most-once,crm=at-least-once. Clients not listed get at-least-once.',
      ),
    DATABASE_URL: databaseUrl().describe(
      'The PostgreSQL that archives final status records, as postgres://[user:password@]host:port/database: GET /v1/sms/:id, GET /v1/sms?reference= and the dead-letter views read it once Redis has let a record go (after STATUS_HOT_SECONDS), and answer 503 (5031) while it is unreachable. Readiness does not depend on it. Default none: Redis alone. Secret: use DATABASE_URL_FILE.',
    ),
    DEFAULT_CLIENT_QUOTA: clientQuota()
      .optional()
      .describe(
        'Limits of every client that CLIENT_QUOTAS does not list, written like its limits (e.g. 20/s:50000/d), or none. Default none (no limit).',
      ),
  },
  function* apiConfigProblems(config) {
    if (above(config.DEFAULT_VALIDITY_SECONDS, config.MAX_VALIDITY_SECONDS))
      yield ['DEFAULT_VALIDITY_SECONDS', 'must not exceed MAX_VALIDITY_SECONDS'];
    // Port 0 picks a free port for each server, so both may ask for it.
    if (config.ADMIN_PORT === config.API_PORT && config.API_PORT !== 0)
      yield ['ADMIN_PORT', 'must differ from API_PORT, which clients reach'];
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
      yield ['REDIS_WAIT_TIMEOUT_MS', 'must be below ENQUEUE_TIMEOUT_MS'];
    }
    yield* redisTopologyProblems(config);
    yield* callbackConfigProblems(config);
    yield* senderIdConfigProblems(config);
    // Node refuses to start an HTTP server so configured.
    if (above(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS))
      yield ['HEADERS_TIMEOUT_MS', 'must not exceed REQUEST_TIMEOUT_MS'];
    // A message that POST /v1/sms takes must fit in a batch of one.
    if (above(config.MAX_BODY_BYTES, config.MAX_BATCH_BODY_BYTES))
      yield ['MAX_BATCH_BODY_BYTES', 'must not be below MAX_BODY_BYTES'];
    yield* clientsWithoutKeys(config);
    // An admin key that is also a client key would open /v1/admin to that client.
    const clients: unknown = config.API_KEYS;
    const admins: unknown = config.ADMIN_API_KEYS;
    if (!(clients instanceof Map) || !(admins instanceof Map)) return;
    for (const [key, admin] of admins) {
      if (clients.has(key))
        yield ['ADMIN_API_KEYS', `the key of admin "${admin}" is also a client's key in API_KEYS`];
    }
  },
);

export type ApiConfig = z.infer<typeof apiConfigSchema>;

/** `value` is above `limit`; false while either is not a number (a variable that failed to parse). */
function above(value: unknown, limit: unknown): boolean {
  return typeof value === 'number' && typeof limit === 'number' && value > limit;
}
