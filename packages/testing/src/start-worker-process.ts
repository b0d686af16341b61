import { freePort } from './free-port';
import { redisVariables, type ServiceProcess, spawnService } from './spawn-service';
import { type StatusEndpoints, statusEndpoints } from './status-endpoints';

export interface StartWorkerProcessOptions {
  /** `REDIS_URL`; or give `redisEnv` instead. */
  readonly redisUrl?: string;
  /**
   * Instead of `redisUrl`: the variables that name a Sentinel set or a Cluster, e.g. the `env`
   * of `startRedisSentinel()` or `startRedisCluster()`.
   */
  readonly redisEnv?: Readonly<Record<string, string>>;
  /** `QUEUE_PREFIX`: the API's prefix, so that the worker takes its messages. */
  readonly prefix: string;
  /** `KAARAI_URL`, e.g. the simulator's `httpsUrl`. */
  readonly kaaraiUrl: string;
  /** `KAARAI_CA_FILE`, e.g. the simulator's `caFile`. */
  readonly caFile?: string;
  /**
   * The entry point: `services/worker/src/main.ts` (through tsx) unless a compiled `main.js` is
   * given (run with plain `node`), relative to the repository root or absolute.
   */
  readonly main?: string;
  /** More variables, or overrides of the defaults (`KAARAI_PASSWORD`, `LOG_LEVEL`...). */
  readonly env?: Readonly<Record<string, string>>;
}

/** What the worker's `/readyz` answered. */
export interface WorkerReadiness {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface WorkerProcess extends ServiceProcess, StatusEndpoints {
  /** Base URL of the worker's `/metrics`, `/healthz` and `/readyz`. */
  readonly httpUrl: string;
  readyz(): Promise<WorkerReadiness>;
}

/**
 * Starts `services/worker/src/main.ts` as a child process, its status server on a free port of
 * 127.0.0.1, and returns at once: call `ready()` before counting on it (several workers can
 * start in parallel that way).
 */
export async function startWorkerProcess(options: StartWorkerProcessOptions): Promise<WorkerProcess> {
  const port = await freePort();
  const httpUrl = `http://127.0.0.1:${port}`;
  const service = spawnService({
    name: 'worker',
    main: options.main ?? 'services/worker/src/main.ts',
    env: {
      ...redisVariables(options),
      QUEUE_PREFIX: options.prefix,
      KAARAI_URL: options.kaaraiUrl,
      ...(options.caFile !== undefined && { KAARAI_CA_FILE: options.caFile }),
      KAARAI_USER: 'gateway',
      KAARAI_PASSWORD: 'secret',
      WORKER_HTTP_PORT: String(port),
      // `httpUrl` reaches it there; a test's worker has no business on other interfaces.
      WORKER_HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
  return {
    ...service,
    httpUrl,
    ...statusEndpoints(service, { name: 'worker', httpUrl, readyPath: '/readyz' }),
    readyz: async () => {
      const response = await fetch(`${httpUrl}/readyz`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
  };
}
