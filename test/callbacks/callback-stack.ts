import {
  type ApiProcess,
  newPrefix,
  type RunningSimulator,
  startApiProcess,
  startRedis,
  startSimulator,
  startWorkerProcess,
  type TestRedis,
  type WorkerProcess,
} from '@sms/testing';

/** The gateway as deployed, for callback tests: Redis, the simulator over HTTPS, the API and a worker. */
export interface CallbackStack {
  readonly redis: TestRedis;
  readonly simulator: RunningSimulator;
  readonly api: ApiProcess;
  readonly worker: WorkerProcess;
  /** The QUEUE_PREFIX of both processes, fresh for the stack. */
  readonly prefix: string;
  stop(): Promise<void>;
}

export interface CallbackStackOptions {
  /** Variables the API and the worker both read: CALLBACK_ALLOWED_HOSTS, CALLBACK_ATTEMPTS. */
  readonly callbacks: Readonly<Record<string, string>>;
  /** The worker's own: its secrets, its callback retry delays. */
  readonly worker: Readonly<Record<string, string>>;
  /** The API's own: ADMIN_API_KEYS, say. */
  readonly api?: Readonly<Record<string, string>>;
}

/**
 * Starts the stack, Kaarai retries in tens of milliseconds, and resolves once the worker is
 * ready; what started is stopped again when another part fails to.
 */
export async function startCallbackStack(options: CallbackStackOptions): Promise<CallbackStack> {
  const [redis, simulator] = await Promise.all([startRedis(), startSimulator({ https: true })]);
  const prefix = newPrefix();
  const started = await Promise.allSettled([
    startApiProcess({ redisUrl: redis.url, prefix, env: { ...options.callbacks, ...options.api } }),
    startWorkerProcess({
      redisUrl: redis.url,
      prefix,
      kaaraiUrl: simulator.httpsUrl!,
      caFile: simulator.caFile!,
      env: { ...options.callbacks, RETRY_BASE_DELAY_MS: '20', RETRY_MAX_DELAY_MS: '100', ...options.worker },
    }),
  ]);
  const [api, worker] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined)) as [
    ApiProcess | undefined,
    WorkerProcess | undefined,
  ];
  const stop = async () => {
    await Promise.all([api?.kill(), worker?.kill()]);
    await simulator.stop();
    await redis.stop();
  };
  try {
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    await worker!.ready();
  } catch (error) {
    await stop();
    throw error;
  }
  return { redis, simulator, api: api!, worker: worker!, prefix, stop };
}
