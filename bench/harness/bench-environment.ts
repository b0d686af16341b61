import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ApiProcess,
  type ArchiverProcess,
  type RedisServer,
  type RunningSimulator,
  startApiProcess,
  startArchiverProcess,
  startRedisServer,
  startSimulator,
  startWorkerProcess,
  type WorkerProcess,
} from '@sms/testing';
import Redis from 'ioredis';
import { findRedisPid } from './find-redis-pid';
import { settleRedis } from './settle-redis';

/** The processes every scenario shares: one Redis and one Kaarai simulator for the whole run. */
export interface BenchInfrastructure {
  /** redis-server with the append-only file on, `appendfsync everysec`, as in production. */
  readonly redis: RedisServer;
  /** The redis-server's pid, to read its CPU time; undefined if it cannot be found. */
  readonly redisPid: number | undefined;
  /**
   * The Kaarai simulator over plain HTTP (the worker runs with KAARAI_ALLOW_INSECURE_HTTP), and
   * over HTTPS on a port of its own for the scenarios that compare like with like (`peer`).
   */
  readonly simulator: RunningSimulator;
  /** A connection of the benchmark's own, for filling queues and reading INFO. */
  readonly connection: Redis;
  stop(): Promise<void>;
}

/** What one scenario runs against: the shared processes, emptied, and the services it starts. */
export interface BenchEnvironment extends Omit<BenchInfrastructure, 'stop'> {
  /** The key prefix of the gateway's processes in this scenario. */
  readonly prefix: string;
  /** Starts the API (services/api/src/main.ts) at production settings on this Redis. */
  startApi(options?: ServiceOptions): Promise<ApiProcess>;
  /** Starts a worker (services/worker/src/main.ts) against the simulator and waits until it is ready. */
  startWorker(options?: ServiceOptions): Promise<WorkerProcess>;
  /**
   * Starts an archiver (services/archiver/src/main.ts) on this Redis and the PostgreSQL of
   * `databaseUrl`, and returns at once, so that a drain can be timed from its first batch:
   * `ready()` says it has created the archive stream.
   */
  startArchiver(databaseUrl: string, options?: ServiceOptions): Promise<ArchiverProcess>;
  /** Stops every service this scenario started (the shared processes stay). */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** More variables, e.g. `RATE_LIMIT_PER_SECOND`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Write a V8 CPU profile (as `node --cpu-prof` does) into this folder when the process exits. */
  readonly cpuProfileDir?: string;
  /** The worker calls the simulator over HTTPS (keep-alive, its certificate trusted) instead of HTTP. */
  readonly https?: boolean;
}

// Node 20 refuses --cpu-prof in NODE_OPTIONS; this preload starts the same profiler.
const CPU_PROFILE_HOOK = pathToFileURL(join(__dirname, '..', 'profile', 'cpu-profile-hook.mjs')).href;

// What the services log in production; the API and the worker write a line per message at info.
const LOG_LEVEL = 'info';

export async function startBenchInfrastructure(): Promise<BenchInfrastructure> {
  const [redis, simulator] = await Promise.all([
    startRedisServer({ appendfsync: 'everysec' }),
    startSimulator({ https: true, env: { KAARAI_SIM_LOG_LEVEL: 'warn' } }),
  ]);
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  // As the gateway's Redis is configured (docs/operations.md): a job's hash stays a listpack.
  await connection.config('SET', 'hash-max-listpack-value', '512');
  return {
    redis,
    redisPid: findRedisPid(redis.port),
    simulator,
    connection,
    stop: async () => {
      connection.disconnect();
      await Promise.all([simulator.stop().catch(() => {}), redis.stop().catch(() => {})]);
    },
  };
}

/**
 * Empties the shared processes for a scenario (FLUSHALL and a rewritten append-only file, the
 * simulator's record and faults cleared) and gives it a fresh key prefix.
 */
export async function openBenchEnvironment(infrastructure: BenchInfrastructure): Promise<BenchEnvironment> {
  const { redis, simulator, connection } = infrastructure;
  await connection.flushall();
  await settleRedis(connection);
  await Promise.all([simulator.admin.reset(), simulator.admin.clearFaults()]);
  const prefix = `bench${randomUUID().slice(0, 6)}`;
  const stops: Array<() => Promise<unknown>> = [];
  const profiled = (options: ServiceOptions): Record<string, string> =>
    options.cpuProfileDir === undefined
      ? {}
      : { NODE_OPTIONS: `--import ${CPU_PROFILE_HOOK}`, BENCH_CPU_PROFILE_DIR: options.cpuProfileDir };

  return {
    redis,
    redisPid: infrastructure.redisPid,
    simulator,
    connection,
    prefix,
    startApi: async (options = {}) => {
      const api = await startApiProcess({
        redisUrl: redis.url,
        prefix,
        env: { LOG_LEVEL, ...profiled(options), ...options.env },
      });
      stops.push(() => api.stop());
      return api;
    },
    startWorker: async (options = {}) => {
      const kaarai =
        options.https === true
          ? {
              kaaraiUrl: simulator.httpsUrl!,
              ...(simulator.caFile !== undefined && { caFile: simulator.caFile }),
            }
          : { kaaraiUrl: simulator.url };
      const worker = await startWorkerProcess({
        redisUrl: redis.url,
        prefix,
        ...kaarai,
        env: {
          ...(options.https !== true && { KAARAI_ALLOW_INSECURE_HTTP: 'true' }),
          LOG_LEVEL,
          ...profiled(options),
          ...options.env,
        },
      });
      stops.push(() => worker.stop());
      await worker.ready();
      return worker;
    },
    startArchiver: async (databaseUrl, options = {}) => {
      const archiver = await startArchiverProcess({
        redisUrl: redis.url,
        prefix,
        databaseUrl,
        env: { LOG_LEVEL, ...profiled(options), ...options.env },
      });
      stops.push(() => archiver.stop());
      return archiver;
    },
    stop: async () => {
      await Promise.all(stops.map((stop) => stop().catch(() => {})));
    },
  };
}
