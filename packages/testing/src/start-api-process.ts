import { freePort } from './free-port';
import { redisVariables, type ServiceProcess, spawnService, untilExit } from './spawn-service';
import { waitFor } from './wait-for';

/** The key the API process accepts, for the client named `faults`. */
export const FAULT_TEST_API_KEY = 'faults-key-0123456789abcdef';

export interface StartApiProcessOptions {
  /** `REDIS_URL`; or give `redisEnv` instead. */
  readonly redisUrl?: string;
  /**
   * Instead of `redisUrl`: the variables that name a Sentinel set or a Cluster, e.g. the `env`
   * of `startRedisSentinel()` or `startRedisCluster()`.
   */
  readonly redisEnv?: Readonly<Record<string, string>>;
  /** `QUEUE_PREFIX`, shared with the workers. */
  readonly prefix: string;
  /**
   * The entry point: `services/api/src/main.ts` (through tsx) unless a compiled `main.js` is
   * given (run with plain `node`), relative to the repository root or absolute.
   */
  readonly main?: string;
  /** More variables, or overrides of the defaults (`SEND_ATTEMPTS`, `ENQUEUE_TIMEOUT_MS`...). */
  readonly env?: Readonly<Record<string, string>>;
  /** Give up if the API is not listening after this many milliseconds. @defaultValue 30000 */
  readonly startTimeoutMs?: number;
}

export interface ApiProcess extends ServiceProcess {
  /** e.g. `http://127.0.0.1:41234`, without a trailing slash. */
  readonly url: string;
  /** The internal server (ADMIN_PORT): /metrics, /v1/admin and /admin/queues. */
  readonly adminUrl: string;
  /** A valid key (client `faults`), sent as the bearer token by `post` and `get`. */
  readonly apiKey: string;
  /** `POST /v1/sms` with the key; `body` is sent as JSON. */
  post(body: unknown, headers?: Readonly<Record<string, string>>): Promise<Response>;
  /** `GET` of `path` (e.g. `/v1/sms/<id>`) with the key. */
  get(path: string): Promise<Response>;
  /** The status view of one message (`GET /v1/sms/:id`); throws unless it answers 200. */
  status(id: string): Promise<{ readonly status: string } & Record<string, unknown>>;
}

/**
 * Starts `services/api/src/main.ts` as a child process on a free port, with one client
 * (`faults`, key `FAULT_TEST_API_KEY`), and resolves once it answers `/healthz`. The API waits
 * for Redis before it listens, so start Redis first.
 */
export async function startApiProcess(options: StartApiProcessOptions): Promise<ApiProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const adminPort = await freePort();
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const service = spawnService({
    name: 'api',
    main: options.main ?? 'services/api/src/main.ts',
    env: {
      ...redisVariables(options),
      QUEUE_PREFIX: options.prefix,
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      ADMIN_PORT: String(adminPort),
      ADMIN_HOST: '127.0.0.1',
      API_KEYS: `faults=${FAULT_TEST_API_KEY}`,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
  const authorization = `Bearer ${FAULT_TEST_API_KEY}`;
  const get = (path: string) => fetch(url + path, { headers: { authorization } });
  try {
    await untilExit(service, (signal) =>
      waitFor(async () => (await fetch(`${url}/healthz`, { signal })).ok, {
        timeoutMs: options.startTimeoutMs ?? 30_000,
        intervalMs: 100,
        description: `api ${service.pid} to listen`,
        signal,
      }),
    );
  } catch (error) {
    await service.kill();
    throw error;
  }
  return {
    ...service,
    url,
    adminUrl,
    apiKey: FAULT_TEST_API_KEY,
    post: (body, headers = {}) =>
      fetch(`${url}/v1/sms`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    get,
    status: async (id) => {
      const response = await get(`/v1/sms/${encodeURIComponent(id)}`);
      const body = (await response.json()) as { status: string } & Record<string, unknown>;
      if (response.status !== 200)
        throw new Error(`GET /v1/sms/${id} answered ${response.status}: ${JSON.stringify(body)}`);
      return body;
    },
  };
}
