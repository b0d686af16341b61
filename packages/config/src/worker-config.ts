import { z } from 'zod';
import { callbackConfigProblems, callbackConfigShape, callbackSecrets } from './callback-settings';
import { envSchema } from './env-schema';
import { envFlag, envIntOr, envListenHost, envNumber, envPort, envUrl } from './env-types';
import { redisTopologyProblems } from './redis-topology-problems';
import { sharedConfigShape } from './shared-config';
import { tracingConfigShape } from './tracing-config';

/**
 * The first and the longest delay of a backoff that doubles per attempt, with full jitter; `what`
 * names the backoff in their descriptions.
 */
function retryDelays(what: string) {
  return {
    base: envIntOr(10, 3_600_000, 1_000).describe(
      `First ${what} delay; it doubles per attempt, with full jitter, in ms. Default 1000.`,
    ),
    max: envIntOr(10, 86_400_000, 300_000).describe(`Longest ${what} delay, in ms. Default 300000.`),
  };
}

const sendRetry = retryDelays('retry');
const callbackRetry = retryDelays('callback retry');
// Dead letters are an operator's work list, not an archive: kept a month unless told otherwise.
const deadLetterRetention = envIntOr(0, 315_360_000, 2_592_000).describe(
  'How long a dead letter is kept after it was dead-lettered, in seconds; older ones are deleted by a periodic sweep of the workers (their status records expire on their own). 0 keeps them until an operator replays or deletes them. Default 2592000 (30 days).',
);

export const workerConfigSchema = envSchema(
  {
    ...sharedConfigShape,
    ...callbackConfigShape,
    ...tracingConfigShape,
    KAARAI_URL: envUrl().describe("Required. Full URL of Kaarai's send-SMS endpoint; must be https://."),
    KAARAI_USER: z.string().min(1).describe("Required. User of Kaarai's HTTP Basic authentication."),
    KAARAI_PASSWORD: z
      .string()
      .min(1)
      .describe(
        "Required. Password of Kaarai's HTTP Basic authentication. Secret: use KAARAI_PASSWORD_FILE.",
      ),
    KAARAI_CA_FILE: z
      .string()
      .optional()
      .describe(
        "PEM file of extra certificate authorities to trust for Kaarai's TLS certificate. Default none.",
      ),
    KAARAI_ALLOW_INSECURE_HTTP: envFlag().describe(
      'Allow a plain http:// KAARAI_URL, which sends the password in clear: local development only. Default false.',
    ),
    KAARAI_TIMEOUT_MS: envIntOr(100, 120_000, 10_000).describe(
      'Timeout of one call to Kaarai, in ms. Default 10000.',
    ),
    WORKER_CONCURRENCY: envIntOr(1, 1_000, 32).describe(
      'Messages one worker process sends at the same time. Default 32.',
    ),
    RETRY_BASE_DELAY_MS: sendRetry.base,
    RETRY_MAX_DELAY_MS: sendRetry.max,
    HOLD_PROBE_INTERVAL_MS: envIntOr(100, 3_600_000, 30_000).describe(
      'While Kaarai reports a configuration fault, how long sending pauses before trying again, in ms. Default 30000.',
    ),
    RATE_LIMIT_PER_SECOND: envIntOr(0, 100_000, 0).describe(
      'Most messages taken for sending per second, shared by every worker replica (so at most that many calls to Kaarai); 0 means no limit. Default 0.',
    ),
    CIRCUIT_FAILURE_RATIO: envNumber(0.05, 1)
      .default(0.5)
      .describe(
        'Share of failed calls (5030, timeouts, network errors) in the window that opens the circuit. Default 0.5.',
      ),
    CIRCUIT_MIN_CALLS: envIntOr(1, 100_000, 20).describe(
      'Calls the window must hold before the circuit may open. Default 20.',
    ),
    CIRCUIT_WINDOW_MS: envIntOr(1_000, 600_000, 10_000).describe(
      'Length of the window of recent calls the circuit judges, in ms (whole seconds). Default 10000.',
    ),
    CIRCUIT_OPEN_MS: envIntOr(100, 3_600_000, 5_000).describe(
      'How long an open circuit stops all calls before one probe is let through, in ms. Default 5000.',
    ),
    JOB_LOCK_MS: envIntOr(1_000, 600_000, 30_000).describe(
      'How long a job stays locked to a worker that stops renewing it (crashed), in ms; it is redelivered after that. Default 30000.',
    ),
    WORKER_HTTP_PORT: envPort(9100).describe(
      "Port of the worker's /metrics, /healthz and /readyz. Default 9100.",
    ),
    WORKER_HTTP_HOST: envListenHost().describe(
      "Address the worker's /metrics, /healthz and /readyz listen on: 0.0.0.0 (every interface) lets probes and Prometheus reach a pod, 127.0.0.1 keeps them to this machine. Default 0.0.0.0.",
    ),
    CALLBACK_SECRETS: callbackSecrets()
      .optional()
      .describe(
        'Keys that sign status callbacks (HMAC-SHA256), as client=secret pairs, one a line or comma-separated; secrets of 16+ characters; every client of CALLBACK_ALLOWED_HOSTS needs one. Default none. Secret: use CALLBACK_SECRETS_FILE.',
      ),
    CALLBACK_CONCURRENCY: envIntOr(1, 1_000, 16).describe(
      'Status callbacks one worker process sends at the same time. Default 16.',
    ),
    CALLBACK_TIMEOUT_MS: envIntOr(100, 60_000, 5_000).describe(
      "Timeout of one call to a client's callback receiver, in ms. Default 5000.",
    ),
    CALLBACK_RETRY_BASE_DELAY_MS: callbackRetry.base,
    CALLBACK_RETRY_MAX_DELAY_MS: callbackRetry.max,
    CALLBACK_ENQUEUE_TIMEOUT_MS: envIntOr(10, 10_000, 500).describe(
      'Longest a send waits to queue a status callback before going on without it (counted and logged), in ms. Default 500.',
    ),
    DEAD_LETTER_RETENTION_SECONDS: deadLetterRetention,
  },
  function* workerConfigProblems(config) {
    const url: unknown = config.KAARAI_URL;
    if (typeof url === 'string' && URL.canParse(url) && !/^https?:\/\//.test(url))
      yield ['KAARAI_URL', 'must be an https:// URL'];
    if (typeof url === 'string' && url.startsWith('http://') && config.KAARAI_ALLOW_INSECURE_HTTP !== true) {
      yield [
        'KAARAI_URL',
        'is plain http://, which would send the password in clear; use https:// (or set KAARAI_ALLOW_INSECURE_HTTP=true locally)',
      ];
    }
    yield* redisTopologyProblems(config);
    yield* callbackConfigProblems(config);
    const allowed: unknown = config.CALLBACK_ALLOWED_HOSTS;
    const secrets: unknown = config.CALLBACK_SECRETS;
    for (const client of allowed instanceof Map ? allowed.keys() : []) {
      if (!(secrets instanceof Map) || !secrets.has(client)) {
        yield [
          'CALLBACK_SECRETS',
          `client "${client}" of CALLBACK_ALLOWED_HOSTS has no secret to sign its callbacks with`,
        ];
      }
    }
    const base: unknown = config.RETRY_BASE_DELAY_MS;
    const max: unknown = config.RETRY_MAX_DELAY_MS;
    if (typeof base === 'number' && typeof max === 'number' && max < base)
      yield ['RETRY_MAX_DELAY_MS', 'must not be below RETRY_BASE_DELAY_MS'];
  },
);

export type WorkerConfig = z.infer<typeof workerConfigSchema>;
