import { freePort } from './free-port';
import { redisVariables, type ServiceProcess, spawnService } from './spawn-service';
import { type StatusEndpoints, statusEndpoints } from './status-endpoints';

export interface StartArchiverProcessOptions {
  /** `REDIS_URL`; or give `redisEnv` instead. */
  readonly redisUrl?: string;
  /** Instead of `redisUrl`: the variables that name a Sentinel set or a Cluster. */
  readonly redisEnv?: Readonly<Record<string, string>>;
  /** `QUEUE_PREFIX`: the gateway's, whose final messages it archives. */
  readonly prefix: string;
  /** `DATABASE_URL`, e.g. `startPostgres()`'s `url`. */
  readonly databaseUrl: string;
  /**
   * The entry point: `services/archiver/src/main.ts` (through tsx) unless a compiled `main.js`
   * is given (run with plain `node`), relative to the repository root or absolute.
   */
  readonly main?: string;
  /** More variables, or overrides of the defaults (`ARCHIVE_BATCH_SIZE`, `LOG_LEVEL`...). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface ArchiverProcess extends ServiceProcess, StatusEndpoints {
  /** Base URL of the archiver's `/metrics`, `/health` and `/ready`. */
  readonly httpUrl: string;
}

/**
 * Starts `services/archiver/src/main.ts` as a child process, its status server on a free port of
 * 127.0.0.1, and returns at once: call `ready()` before counting on it.
 */
export async function startArchiverProcess(options: StartArchiverProcessOptions): Promise<ArchiverProcess> {
  const port = await freePort();
  const httpUrl = `http://127.0.0.1:${port}`;
  const service = spawnService({
    name: 'archiver',
    main: options.main ?? 'services/archiver/src/main.ts',
    env: {
      ...redisVariables(options),
      QUEUE_PREFIX: options.prefix,
      DATABASE_URL: options.databaseUrl,
      ARCHIVER_HTTP_PORT: String(port),
      ARCHIVER_HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
  return {
    ...service,
    httpUrl,
    ...statusEndpoints(service, { name: 'archiver', httpUrl, readyPath: '/ready' }),
  };
}
