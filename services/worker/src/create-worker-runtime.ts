import { createCallbackQueue, GivenUpCallbacks } from '@sms/callbacks';
import { redisKeyPrefix, redisTargetOf, type WorkerConfig } from '@sms/config';
import type { SmsJobData } from '@sms/contracts';
import { KaaraiClient } from '@sms/kaarai-client';
import { rateLimitedLog } from '@sms/logging';
import { createStatusServer, createWorkerMetrics, listenOn, type WorkerMetrics } from '@sms/metrics';
import {
  checkEvictionPolicy,
  checkJobEncoding,
  createDeadLetterQueue,
  createSmsQueue,
  type DeadLetterQueue,
  redisWriteRefusal,
  waitForRedis,
  writeProbeKey,
} from '@sms/queue';
import { type ServiceRuntime, type StartedService, serviceRuntime } from '@sms/service-lifecycle';
import { StatusStore } from '@sms/status-store';
import type { Tracer } from '@sms/tracing';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { createCallbackDelivery } from './callbacks/create-callback-delivery';
import { createSmsWorker } from './create-sms-worker';
import { startPeriodicSweeps } from './periodic-sweeps';
import { RedisWriteHealth } from './redis-write-health';
import { type GateSettings, SendingGate } from './sending-gate';
import { closeWorkerConnections, openWorkerConnections } from './worker-connections';
import { workerStatusChecks } from './worker-status-checks';

export interface WorkerRuntimeDeps {
  readonly logger: Logger;
  /** PEM of extra certificate authorities for Kaarai's TLS (the content of KAARAI_CA_FILE). @defaultValue none */
  readonly kaaraiCa?: string;
  /**
   * Prefix of every key. @defaultValue `redisKeyPrefix(config.QUEUE_PREFIX)`; a test gives the
   * one of an API it built in-process.
   */
  readonly keyPrefix?: string;
  /** While Redis refuses writes, probes back off from `minMs` to `maxMs`. @defaultValue 250 to 5000 ms */
  readonly writeProbeBackoff?: { readonly minMs: number; readonly maxMs: number };
  /** Traces each attempt and its call to Kaarai (`startTracing`). @defaultValue none: no spans */
  readonly tracer?: Tracer;
}

/** What a started worker runs, for whoever started it to look at. */
export interface RunningWorker {
  /** The status server's port: WORKER_HTTP_PORT, or the one the system chose for 0. */
  readonly port: number;
  readonly keyPrefix: string;
  readonly worker: Worker<SmsJobData>;
  readonly statusStore: StatusStore;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly gate: SendingGate;
  readonly metrics: WorkerMetrics;
  readonly writeHealth: RedisWriteHealth;
}

export interface WorkerRuntime extends ServiceRuntime<RunningWorker> {
  /**
   * Waits for Redis, starts the send and callback workers, the sweeps and the status server;
   * resolves once the server listens. Rejects (having closed what it opened) when Redis does not
   * answer in time or the port is taken.
   */
  start(): Promise<RunningWorker>;
  /**
   * Takes no new jobs, waits for those in flight, then closes the queues, the status server,
   * the HTTP clients and Redis. Calling it again returns the same promise.
   */
  stop(): Promise<void>;
}

/** The worker process, built from its configuration: what `main.ts` starts, and tests too. */
export function createWorkerRuntime(config: WorkerConfig, deps: WorkerRuntimeDeps): WorkerRuntime {
  return serviceRuntime('worker', () => startParts(config, deps));
}

async function startParts(
  config: WorkerConfig,
  deps: WorkerRuntimeDeps,
): Promise<StartedService<RunningWorker>> {
  const { logger } = deps;
  const prefix = deps.keyPrefix ?? redisKeyPrefix(config.QUEUE_PREFIX);
  const connections = openWorkerConnections(redisTargetOf(config), logger);
  const { probe } = connections;
  try {
    await waitForRedis(probe, logger);
    await checkEvictionPolicy(probe, logger);
    await checkJobEncoding(probe, logger);
  } catch (error) {
    await closeWorkerConnections(connections, 'disconnect');
    throw error;
  }

  // A fault that fails every job (Redis refusing writes) would log thousands of lines a second.
  const logError = rateLimitedLog(logger);
  const logWarning = rateLimitedLog(logger, { level: 'warn' });
  const kaarai = kaaraiClientOf(config, deps.kaaraiCa);
  const metrics = createWorkerMetrics();
  const deadLetterQueue = createDeadLetterQueue({ connection: connections.queues, prefix });
  const callbacks = createCallbackDelivery(config, {
    prefix,
    connection: connections.queues,
    workerConnection: connections.callbackWorker,
    metrics,
    logger,
    logWarning,
  });
  const { statusEvents } = callbacks;
  const statusStore = new StatusStore(connections.records, {
    prefix,
    retentionSeconds: config.STATUS_RETENTION_SECONDS,
  });
  const gate = new SendingGate(connections.records, gateSettingsOf(config, prefix));
  const probeKey = writeProbeKey(prefix, 'worker');
  // Both workers stop taking jobs while Redis refuses writes, and take them again by themselves.
  const workers: { pause(doNotWaitActive: boolean): Promise<void>; resume(): void }[] = [];
  const writeHealth = new RedisWriteHealth({
    probe: () => redisWriteRefusal(probe, probeKey),
    onRefusing: (refusal) => {
      logger.error(
        { code: refusal.code, reason: refusal.reason },
        'redis refuses writes: taking no new jobs until it takes them again',
      );
      metrics.redisRefusingWrites.set(1);
      for (const each of workers) void each.pause(true);
    },
    onRestored: (refusedForMs) => {
      logger.info({ refusedForMs }, 'redis takes writes again: taking jobs');
      metrics.redisRefusingWrites.set(0);
      for (const each of workers) each.resume();
    },
    backoff: deps.writeProbeBackoff ?? { minMs: 250, maxMs: 5_000 },
  });
  const worker = createSmsWorker(
    {
      connection: connections.sendWorker,
      prefix,
      concurrency: config.WORKER_CONCURRENCY,
      retry: { baseMs: config.RETRY_BASE_DELAY_MS, maxMs: config.RETRY_MAX_DELAY_MS },
      holdMs: config.HOLD_PROBE_INTERVAL_MS,
      ratePerSecond: config.RATE_LIMIT_PER_SECOND,
      lockMs: config.JOB_LOCK_MS,
    },
    {
      kaarai,
      statusStore,
      deadLetterQueue,
      gate,
      metrics,
      logger,
      statusEvents,
      writeHealth,
      ...(deps.tracer && { tracer: deps.tracer }),
      onGivenUpNotRecorded: (err) =>
        logError({ err }, 'could not record a message given up by the queue; a later sweep will'),
    },
  );
  // BullMQ's own errors may be the first sign of Redis refusing writes.
  const onWorkerError = (message: string) => (err: Error) => {
    writeHealth.report(err);
    logError({ err }, message);
  };
  worker.on('error', onWorkerError('worker error'));
  callbacks.worker.on('error', onWorkerError('callback worker error'));
  workers.push(worker, callbacks.worker);

  // Queues opened on the fail-fast connection, for reads that must not wait for Redis.
  const observedSetup = { connection: probe, prefix };
  const observed = {
    sms: createSmsQueue(observedSetup),
    deadLetters: createDeadLetterQueue(observedSetup),
    callbacks: createCallbackQueue(observedSetup),
    givenUpCallbacks: new GivenUpCallbacks(probe, {
      prefix,
      retentionSeconds: config.CALLBACK_FAILED_RETENTION_SECONDS,
      outboxRetentionSeconds: config.STATUS_RETENTION_SECONDS,
    }),
  };
  const sweeps = startPeriodicSweeps({
    outbox: callbacks.outbox,
    callbackQueue: callbacks.queue,
    callbackJob: callbacks.job,
    givenUpCallbacks: callbacks.givenUp,
    smsQueue: observed.sms,
    givenUp: { statusStore, deadLetterQueue, metrics, statusEvents },
    deadLetters: {
      deadLetterQueue,
      redis: connections.queues,
      prefix,
      retentionSeconds: config.DEAD_LETTER_RETENTION_SECONDS,
    },
    reportError: (err) => writeHealth.report(err),
    logger,
    logError,
  });
  const server = createStatusServer({
    registry: metrics.registry,
    ...workerStatusChecks({
      metrics,
      records: connections.records,
      probe,
      probeKey,
      // Read over the fail-fast connection, so that checks answer while Redis is away.
      gate: new SendingGate(probe, gateSettingsOf(config, prefix)),
      observed,
      worker,
      concurrency: config.WORKER_CONCURRENCY,
      prefix,
    }),
  });

  const stop = async () => {
    sweeps.stop();
    // Jobs waiting for Redis to take writes are left to return to the queue when their locks lapse.
    writeHealth.stop();
    await Promise.all([worker.close(), callbacks.worker.close()]);
    await Promise.all([
      deadLetterQueue.close(),
      callbacks.queue.close(),
      observed.sms.close(),
      observed.deadLetters.close(),
      observed.callbacks.close(),
    ]);
    server.close();
    kaarai.close();
    callbacks.client.close();
    await closeWorkerConnections(connections, 'quit');
  };

  try {
    const port = await listenOn(server, config.WORKER_HTTP_PORT, config.WORKER_HTTP_HOST);
    return {
      running: { port, keyPrefix: prefix, worker, statusStore, deadLetterQueue, gate, metrics, writeHealth },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function kaaraiClientOf(config: WorkerConfig, ca: string | undefined): KaaraiClient {
  return new KaaraiClient({
    url: config.KAARAI_URL,
    user: config.KAARAI_USER,
    password: config.KAARAI_PASSWORD,
    timeoutMs: config.KAARAI_TIMEOUT_MS,
    maxSockets: config.WORKER_CONCURRENCY,
    ...(ca !== undefined && { ca }),
  });
}

function gateSettingsOf(config: WorkerConfig, prefix: string): GateSettings {
  return {
    prefix,
    holdProbeIntervalMs: config.HOLD_PROBE_INTERVAL_MS,
    circuit: {
      failureRatio: config.CIRCUIT_FAILURE_RATIO,
      minCalls: config.CIRCUIT_MIN_CALLS,
      windowMs: config.CIRCUIT_WINDOW_MS,
      openMs: config.CIRCUIT_OPEN_MS,
    },
    // A probe holds its lease for as long as its call to Kaarai may take, and a second more.
    probeLeaseMs: config.KAARAI_TIMEOUT_MS + 1_000,
  };
}
