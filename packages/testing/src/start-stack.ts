import { type ApiProcess, startApiProcess } from './start-api-process';
import {
  type RedisServer,
  type RedisServerOptions,
  startRedis,
  startRedisServer,
  type TestRedis,
} from './start-redis';
import { type RunningSimulator, startSimulator } from './start-simulator';
import { startWorkerProcess, type WorkerProcess } from './start-worker-process';
import { Teardown } from './teardown';
import { newPrefix } from './unique-names';

/** Retries in tens of milliseconds instead of seconds, so that a fault test runs quickly. */
export const FAST_RETRIES: Readonly<Record<string, string>> = {
  RETRY_BASE_DELAY_MS: '50',
  RETRY_MAX_DELAY_MS: '500',
};

export interface StackOptions {
  /**
   * Starts a `redis-server` of the stack's own with these settings, whatever `REDIS_URL` says,
   * for a test that crashes, freezes or fills it: `stack.redis` is then a `RedisServer`.
   * @defaultValue `startRedis()`: the Redis of `REDIS_URL` when set, else a private one
   */
  readonly redisServer?: RedisServerOptions;
  /** Starts the Kaarai simulator, over HTTPS; `false` for a test of the API alone. @defaultValue true */
  readonly simulator?: boolean;
  /** API processes to start, at least 1. @defaultValue 1 */
  readonly apis?: number;
  /** Variables of every API process, e.g. `SEND_ATTEMPTS`, `ENQUEUE_TIMEOUT_MS`. */
  readonly apiEnv?: Readonly<Record<string, string>>;
  /** Worker processes to start; `startStack` resolves once all are ready. @defaultValue 1 */
  readonly workers?: number;
  /** Variables of every worker, over `FAST_RETRIES`, e.g. `WORKER_CONCURRENCY`, `JOB_LOCK_MS`. */
  readonly workerEnv?: Readonly<Record<string, string>>;
  /** Where the workers send (`KAARAI_URL`). @defaultValue the simulator's HTTPS send URL */
  readonly kaaraiUrl?: string;
}

/** The gateway as deployed, on one Redis and one fresh `QUEUE_PREFIX`, as child processes. */
export interface Stack<
  R extends TestRedis = TestRedis,
  S extends RunningSimulator | undefined = RunningSimulator,
> {
  readonly redis: R;
  readonly simulator: S;
  /** The `QUEUE_PREFIX` of every process of the stack. */
  readonly prefix: string;
  /** The first API process. */
  readonly api: ApiProcess;
  /** Every API process started so far, `addApi()`'s too. */
  readonly apis: readonly ApiProcess[];
  /** Every worker started so far, `addWorker()`'s too. */
  readonly workers: readonly WorkerProcess[];
  /** Starts one more API process with the stack's settings and resolves once it listens. */
  addApi(): Promise<ApiProcess>;
  /** Starts one more worker with the stack's settings and resolves once it is ready. */
  addWorker(): Promise<WorkerProcess>;
  /**
   * Has `stop()` end `resource` too, before every process of the stack (a Redis connection of
   * the test's own, an iptables rule); returns `resource`.
   */
  onStop<T>(resource: T, end: (resource: T) => unknown): T;
  /**
   * Ends what `onStop` was given, then stops the processes, the last started first: the workers
   * and APIs (SIGTERM; one still running after 60 s is killed and fails the stop), then the
   * simulator and Redis. A second call does nothing.
   */
  stop(): Promise<void>;
}

/** The `Stack` that `options` give: a `RedisServer` with `redisServer`, no simulator with `simulator: false`. */
export type StackOf<O extends StackOptions> = Stack<
  O extends { readonly redisServer: RedisServerOptions } ? RedisServer : TestRedis,
  O extends { readonly simulator: false } ? undefined : RunningSimulator
>;

/**
 * Starts Redis and the Kaarai simulator, then the API processes and the workers on a fresh
 * prefix, and resolves once every worker is ready. Whatever started is stopped again when
 * another part fails to start.
 */
export async function startStack<const O extends StackOptions>(options: O): Promise<StackOf<O>> {
  if ((options.apis ?? 1) < 1) throw new Error('a stack has at least one API process');
  const teardown = new Teardown();
  try {
    const [redis, simulator] = await settleAll<[TestRedis, RunningSimulator | undefined]>([
      (options.redisServer === undefined ? startRedis() : startRedisServer(options.redisServer)).then((it) =>
        teardown.add(it, (started) => started.stop()),
      ),
      options.simulator === false
        ? Promise.resolve(undefined)
        : startSimulator({ https: true }).then((it) => teardown.add(it, (started) => started.stop())),
    ]);
    const prefix = newPrefix();
    const kaaraiUrl = options.kaaraiUrl ?? simulator?.httpsUrl;
    const apis: ApiProcess[] = [];
    const workers: WorkerProcess[] = [];
    const spawnApi = () =>
      startApiProcess({ redisUrl: redis.url, prefix, env: options.apiEnv ?? {} }).then((api) => {
        apis.push(teardown.add(api, (it) => it.stop()));
        return api;
      });
    const spawnWorker = async () => {
      if (kaaraiUrl === undefined)
        throw new Error('a stack without the simulator needs kaaraiUrl for its workers');
      const worker = await startWorkerProcess({
        redisUrl: redis.url,
        prefix,
        kaaraiUrl,
        ...(simulator?.caFile !== undefined && { caFile: simulator.caFile }),
        env: { ...FAST_RETRIES, ...options.workerEnv },
      });
      workers.push(teardown.add(worker, (it) => it.stop()));
      return worker;
    };
    await settleAll([
      ...Array.from({ length: options.apis ?? 1 }, spawnApi),
      ...Array.from({ length: options.workers ?? 1 }, spawnWorker),
    ]);
    // Every worker runs before the test's load arrives: start-up competing with the first sends
    // for the CPU would bunch them up.
    await Promise.all(workers.map((worker) => worker.ready()));
    const stack: Stack<TestRedis, RunningSimulator | undefined> = {
      redis,
      simulator,
      prefix,
      api: apis[0]!,
      apis,
      workers,
      addApi: spawnApi,
      addWorker: async () => {
        const worker = await spawnWorker();
        await worker.ready();
        return worker;
      },
      onStop: (resource, end) => teardown.add(resource, end),
      stop: () => teardown.run(),
    };
    // Which of the two kinds of Redis, and whether a simulator, `options` decided above.
    return stack as unknown as StackOf<O>;
  } catch (error) {
    await teardown.run().catch(() => {});
    throw error;
  }
}

/**
 * `Promise.all`, but rejects only once every promise has settled: a part that failed to start
 * does not leave another still starting, unregistered, behind the clean-up.
 */
async function settleAll<T extends readonly unknown[]>(
  promises: { [K in keyof T]: Promise<T[K]> },
): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
