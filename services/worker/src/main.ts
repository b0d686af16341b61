import { readFileSync } from 'node:fs';
import {
  CallbackClient,
  CallbackOutbox,
  createCallbackQueue,
  createStatusCallbacks,
  resumeStrandedCallbacks,
} from '@sms/callbacks';
import {
  ConfigError,
  describeRedisTarget,
  loadConfig,
  redisKeyPrefix,
  redisTargetOf,
  workerConfigSchema,
} from '@sms/config';
import { KaaraiClient } from '@sms/kaarai-client';
import { createLogger, rateLimitedLog } from '@sms/logging';
import { createWorkerMetrics, measureRedis, recordQueueState } from '@sms/metrics';
import {
  CALLBACK_QUEUE,
  checkEvictionPolicy,
  createDeadLetterQueue,
  createProducerConnection,
  createSmsQueue,
  createWorkerConnection,
  DEAD_LETTER_QUEUE,
  readQueueState,
  redisWriteRefusal,
  SMS_QUEUE,
  waitForRedis,
  writeProbeKey,
} from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import { createCallbackWorker } from './callbacks/create-callback-worker';
import { createSmsWorker } from './create-sms-worker';
import { createStatusServer } from './create-status-server';
import { sweepGivenUpJobs } from './record-given-up-job';
import { RedisWriteHealth } from './redis-write-health';
import { SendingGate } from './sending-gate';

async function main(): Promise<void> {
  const config = loadConfig(workerConfigSchema);
  const logger = createLogger('worker', config.LOG_LEVEL);
  const ca = readCa(config.KAARAI_CA_FILE);
  if (config.KAARAI_URL.startsWith('http://')) {
    logger.warn('KAARAI_URL is plain http: the Kaarai password travels in clear (development only)');
  }

  // A fault that fails every job (Redis refusing writes) would log thousands of lines a second.
  const logError = rateLimitedLog(logger);
  const logWarning = rateLimitedLog(logger, { level: 'warn' });
  const target = redisTargetOf(config);
  const prefix = redisKeyPrefix(config.QUEUE_PREFIX);
  // BullMQ's worker blocks on its own connection; status writes and dead letters use another.
  const workerRedis = createWorkerConnection(target);
  // No auto-pipelining here: measured, its pipeline per tick cost the worker more CPU per
  // message (419-481 µs) than it saved in writes (362-390 µs without; BENCHMARKS.md).
  const redis = createWorkerConnection(target);
  let redisDown = false;
  const onRedisError = (err: Error) => {
    if (!redisDown) logger.error({ err }, 'redis connection lost');
    redisDown = true;
  };
  workerRedis.on('error', onRedisError);
  redis.on('error', onRedisError);
  redis.on('ready', () => {
    if (redisDown) logger.info('redis connection restored');
    redisDown = false;
  });
  const probe = createProducerConnection(target);
  probe.on('error', () => {});
  await waitForRedis(probe, logger);
  await checkEvictionPolicy(probe, logger);
  logger.info({ redis: describeRedisTarget(target), keyPrefix: prefix }, 'redis connected');

  const kaarai = new KaaraiClient({
    url: config.KAARAI_URL,
    user: config.KAARAI_USER,
    password: config.KAARAI_PASSWORD,
    timeoutMs: config.KAARAI_TIMEOUT_MS,
    maxSockets: config.WORKER_CONCURRENCY,
    ...(ca !== undefined && { ca }),
  });
  const metrics = createWorkerMetrics();
  // The dead-letter queue gets a connection of its own: BullMQ defines its ~50 scripts on the
  // connection a queue uses, and ioredis copies every defined script onto each MULTI made on it,
  // which made the status store's and the gate's transactions (three per message) a third of the
  // worker's CPU time (pnpm bench --only delivery --profile; BENCHMARKS.md).
  const deadLetterRedis = createWorkerConnection(target);
  deadLetterRedis.on('error', onRedisError);
  const deadLetterQueue = createDeadLetterQueue({ connection: deadLetterRedis, prefix });
  // Callbacks share the dead-letter queue's connection: both are a BullMQ queue the send path
  // adds to now and then, and neither runs a MULTI that BullMQ's scripts would weigh down.
  const callbackQueue = createCallbackQueue({ connection: deadLetterRedis, prefix });
  const outbox = new CallbackOutbox(deadLetterRedis, {
    prefix,
    retentionSeconds: config.STATUS_RETENTION_SECONDS,
  });
  const callbackAttempts = { attempts: config.CALLBACK_ATTEMPTS };
  const statusEvents = createStatusCallbacks({
    outbox,
    queue: callbackQueue,
    job: callbackAttempts,
    defaultUrls: config.CALLBACK_DEFAULT_URLS ?? new Map(),
    timeoutMs: config.CALLBACK_ENQUEUE_TIMEOUT_MS,
    onFailure: (err, context) => {
      metrics.callbackEnqueueFailures.inc({ client: context.client });
      logWarning({ err, ...context }, 'status callback not queued; the message goes on without it');
    },
  });
  const statusStore = new StatusStore(redis, {
    prefix,
    retentionSeconds: config.STATUS_RETENTION_SECONDS,
  });
  const gateSettings = {
    prefix,
    holdProbeIntervalMs: config.HOLD_PROBE_INTERVAL_MS,
    circuit: {
      failureRatio: config.CIRCUIT_FAILURE_RATIO,
      minCalls: config.CIRCUIT_MIN_CALLS,
      windowMs: config.CIRCUIT_WINDOW_MS,
      openMs: config.CIRCUIT_OPEN_MS,
    },
    probeLeaseMs: config.KAARAI_TIMEOUT_MS + 1_000,
  };
  const gate = new SendingGate(redis, gateSettings);
  // Probes read the gate over the fail-fast connection, so they answer while Redis is away.
  const probeGate = new SendingGate(probe, gateSettings);
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
    backoff: { minMs: 250, maxMs: 5_000 },
  });
  const observed = { connection: probe, prefix };
  const observedQueue = createSmsQueue(observed);
  const observedDeadLetters = createDeadLetterQueue(observed);
  const observedCallbacks = createCallbackQueue(observed);
  const worker = createSmsWorker(
    {
      connection: workerRedis,
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
  const callbackRedis = createWorkerConnection(target);
  callbackRedis.on('error', onRedisError);
  const callbackClient = new CallbackClient({
    timeoutMs: config.CALLBACK_TIMEOUT_MS,
    maxSockets: config.CALLBACK_CONCURRENCY,
  });
  const callbackWorker = createCallbackWorker(
    {
      connection: callbackRedis,
      prefix,
      concurrency: config.CALLBACK_CONCURRENCY,
      retry: { baseMs: config.CALLBACK_RETRY_BASE_DELAY_MS, maxMs: config.CALLBACK_RETRY_MAX_DELAY_MS },
    },
    {
      outbox,
      queue: callbackQueue,
      client: callbackClient,
      allowedHosts: config.CALLBACK_ALLOWED_HOSTS ?? new Map(),
      secrets: config.CALLBACK_SECRETS ?? new Map(),
      metrics,
      logger,
    },
  );
  callbackWorker.on('error', onWorkerError('callback worker error'));
  workers.push(worker, callbackWorker);
  // Every replica looks for outboxes left without a job (a process died between an event and its
  // job); a job added twice is one job, so replicas need not agree on who does it.
  const resumeCallbacks = setInterval(() => {
    resumeStrandedCallbacks(outbox, callbackQueue, { ...callbackAttempts, staleAfterMs: 60_000, batch: 100 })
      .then((resumed) => {
        if (resumed > 0) logger.warn({ resumed }, 'status callbacks resumed after a process stopped mid-way');
      })
      .catch((err: unknown) => logger.warn({ err }, 'could not look for stranded status callbacks'));
  }, 30_000);
  resumeCallbacks.unref();
  // Jobs BullMQ gave up on, whose final state could not be written when it did (Redis refused
  // the write, or the process stopped): every replica ends them, as the first attempt would have.
  const givenUp = { statusStore, deadLetterQueue, metrics, statusEvents };
  const sweepGivenUp = () =>
    sweepGivenUpJobs(observedQueue, givenUp)
      .then((ended) => {
        if (ended.length > 0) logger.error({ ended }, 'messages given up by the queue recorded as failed');
      })
      .catch((err: unknown) => {
        writeHealth.report(err);
        logError({ err }, 'could not record messages given up by the queue; trying again later');
      });
  const sweep = setInterval(() => void sweepGivenUp(), 15_000);
  sweep.unref();
  void sweepGivenUp();

  const withinASecond = <T>(work: Promise<T>) =>
    Promise.race([
      work,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('redis did not answer')), 1_000).unref(),
      ),
    ]);
  // The gate is shared state in Redis: every replica reports it as it is at scrape time.
  const recordSharedState = async () => {
    const [{ state }, sms, deadLetter, callbacks] = await withinASecond(
      Promise.all([
        probeGate.state(),
        readQueueState(observedQueue, probe),
        readQueueState(observedDeadLetters, probe),
        readQueueState(observedCallbacks, probe),
      ]),
    );
    metrics.held.set(state === 'held' ? 1 : 0);
    metrics.circuitOpen.set(state === 'circuit_open' ? 1 : 0);
    recordQueueState(metrics.queueState, SMS_QUEUE, sms);
    recordQueueState(metrics.queueState, DEAD_LETTER_QUEUE, deadLetter);
    recordQueueState(metrics.queueState, CALLBACK_QUEUE, callbacks);
  };
  const server = createStatusServer({
    registry: metrics.registry,
    beforeScrape: async () => {
      // Measured on the connection the send path uses, and even when the reads below fail.
      const health = measureRedis(metrics.redis, redis);
      try {
        await recordSharedState();
      } finally {
        await health;
      }
    },
    // Ready means able to work: a held gate or an open circuit is reported, but restarting the
    // worker would not fix either.
    checkReady: async () => {
      if (!worker.isRunning()) throw new Error('worker not running');
      // A PING passes while Redis refuses writes; a worker could then take no job to its end.
      const refusal = await withinASecond(redisWriteRefusal(probe, probeKey));
      if (refusal) throw new Error(`redis refuses writes (${refusal.code}): ${refusal.reason}`);
      const sending = await withinASecond(probeGate.state());
      return { redis: 'ok', concurrency: config.WORKER_CONCURRENCY, sending };
    },
  });
  server.listen(config.WORKER_HTTP_PORT, config.WORKER_HTTP_HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.WORKER_HTTP_PORT;
    logger.info(
      { port, concurrency: config.WORKER_CONCURRENCY, kaarai: config.KAARAI_URL },
      'worker started',
    );
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: taking no new jobs, finishing those in flight');
    const force = setTimeout(() => {
      // Jobs still active return to the queue when their lock expires (BullMQ's stalled check).
      logger.warn('shutdown timeout reached; leaving unfinished jobs to be redelivered');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    clearInterval(resumeCallbacks);
    clearInterval(sweep);
    // Jobs waiting for Redis to take writes are left to return to the queue when their locks lapse.
    writeHealth.stop();
    await Promise.all([worker.close(), callbackWorker.close()]);
    await Promise.all([
      deadLetterQueue.close(),
      callbackQueue.close(),
      observedQueue.close(),
      observedDeadLetters.close(),
      observedCallbacks.close(),
    ]);
    server.close();
    kaarai.close();
    callbackClient.close();
    await Promise.all(
      [redis.quit(), workerRedis.quit(), deadLetterRedis.quit(), callbackRedis.quit(), probe.quit()].map(
        (p) => p.catch(() => {}),
      ),
    );
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

function readCa(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`KAARAI_CA_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`]);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
