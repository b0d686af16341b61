import { type ArchiverConfig, archiverConfigSchema, loadConfig } from '@sms/config';
import pino from 'pino';
import { createArchiverRuntime, type RunningArchiver } from '../src/create-archiver-runtime';

export interface ArchiverUnderTest extends RunningArchiver {
  /** Base URL of its /metrics, /health and /ready. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * An archiver in this process on the gateway of `QUEUE_PREFIX` `queuePrefix`, as `main.ts`
 * would load it from these variables: hot window `hotSeconds`, retention 1 h, the status server
 * on a free port of 127.0.0.1; reads wait 200 ms, and a failure is tried again 100 ms to 1 s later.
 */
export async function startArchiver(options: {
  /** `REDIS_URL`, or the variables of another topology (`startRedisCluster()`'s `env`). */
  readonly redisEnv: Readonly<Record<string, string>>;
  readonly queuePrefix: string;
  readonly databaseUrl: string;
  readonly hotSeconds?: number;
  readonly env?: Readonly<Record<string, string>>;
}): Promise<ArchiverUnderTest> {
  const config: ArchiverConfig = loadConfig(archiverConfigSchema, {
    ...options.redisEnv,
    QUEUE_PREFIX: options.queuePrefix,
    DATABASE_URL: options.databaseUrl,
    STATUS_HOT_SECONDS: String(options.hotSeconds ?? 60),
    STATUS_RETENTION_SECONDS: '3600',
    ARCHIVER_HTTP_PORT: '0',
    ARCHIVER_HTTP_HOST: '127.0.0.1',
    ...options.env,
  });
  const runtime = createArchiverRuntime(config, {
    logger: pino({ level: 'silent' }),
    blockMs: 200,
    backoff: { minMs: 100, maxMs: 1_000 },
  });
  const running = await runtime.start();
  return { ...running, url: `http://127.0.0.1:${running.port}`, stop: () => runtime.stop() };
}
