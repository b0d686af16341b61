import { ArchiveReader, createArchivePool, StatusLookup } from '@sms/archive';
import { CallbackOutbox, createCallbackQueue, createStatusCallbacks, GivenUpCallbacks } from '@sms/callbacks';
import {
  apiConfigSchema,
  ConfigError,
  describeRedisTarget,
  loadConfig,
  redisKeyPrefix,
  redisTargetOf,
} from '@sms/config';
import { DeadLetters } from '@sms/dead-letters';
import { createLogger } from '@sms/logging';
import {
  createApiMetrics,
  measureRedis,
  recordArchiveBacklog,
  recordGivenUpCallbacks,
  recordQueueState,
} from '@sms/metrics';
import {
  checkEvictionPolicy,
  checkJobEncoding,
  createDeadLetterQueue,
  createProducerConnection,
  createSmsQueue,
  DEAD_LETTER_QUEUE,
  logConnectionChanges,
  ReplicaAcknowledgement,
  readArchiveBacklog,
  readQueueState,
  SMS_QUEUE,
  waitForRedis,
  withTimeout,
  writeProbeKey,
} from '@sms/queue';
import { ReferenceIndex, StatusStore } from '@sms/status-store';
import { startTracing } from '@sms/tracing';
import { createAdminRouter } from './create-admin-router';
import { createApp, QUEUE_UI_PATH } from './create-app';
import { createHttpServer } from './create-http-server';
import { createQueueUi } from './create-queue-ui';
import { IdempotencyStore } from './idempotency';
import { ClientQuotas } from './quota/client-quotas';

async function main(): Promise<void> {
  const config = loadConfig(apiConfigSchema);
  const logger = createLogger('api', config.LOG_LEVEL);
  // Nothing is started without OTEL_EXPORTER_OTLP_ENDPOINT: the routes then take no tracer at all.
  const tracing = startTracing('sms-api', config);
  const target = redisTargetOf(config);
  const prefix = redisKeyPrefix(config.QUEUE_PREFIX);
  const redis = createProducerConnection(target);
  logConnectionChanges(logger, redis);

  // WAIT blocks the connection it is sent on: the adds that it confirms get a connection of
  // their own, so that status reads and readiness probes never queue behind it.
  const startReplication = async () => {
    const connection = createProducerConnection(target);
    connection.on('error', () => {});
    await waitForRedis(connection, logger);
    const sendQueue = createSmsQueue({ connection, prefix });
    sendQueue.on('error', () => {});
    const acknowledgement = new ReplicaAcknowledgement(connection, {
      replicas: config.REDIS_WAIT_REPLICAS,
      timeoutMs: config.REDIS_WAIT_TIMEOUT_MS,
      keyPrefix: prefix,
    });
    return { connection, queue: sendQueue, acknowledgement };
  };

  await waitForRedis(redis, logger);
  await checkEvictionPolicy(redis, logger);
  await checkJobEncoding(redis, logger);
  logger.info({ redis: describeRedisTarget(target), keyPrefix: prefix }, 'redis connected');
  const queue = createSmsQueue({ connection: redis, prefix });
  queue.on('error', () => {});
  const replication = config.REDIS_WAIT_REPLICAS > 0 ? await startReplication() : undefined;
  const retentionSeconds = config.STATUS_RETENTION_SECONDS;
  const statusStore = new StatusStore(redis, { prefix, retentionSeconds });
  const referenceIndex = new ReferenceIndex(redis, { prefix, retentionSeconds });
  // With DATABASE_URL, a final record Redis has let go is read from PostgreSQL. Its waits end
  // before the request's (ENQUEUE_TIMEOUT_MS): a PostgreSQL that is down or stuck answers 5031,
  // never a hung request nor a 5030 that blames Redis.
  const archivePool =
    config.DATABASE_URL === undefined
      ? undefined
      : createArchivePool(config.DATABASE_URL, {
          statementTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
          connectTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
        });
  const statusLookup = new StatusLookup({
    statusStore,
    referenceIndex,
    ...(archivePool && {
      archive: new ArchiveReader(archivePool),
      archiveTimeoutMs: Math.round((config.ENQUEUE_TIMEOUT_MS * 2) / 3),
    }),
  });
  const idempotencyStore = new IdempotencyStore(redis, {
    prefix,
    ttlSeconds: config.IDEMPOTENCY_TTL_SECONDS,
  });
  const quotas = new ClientQuotas(redis, {
    prefix,
    quotas: config.CLIENT_QUOTAS ?? new Map(),
    defaultQuota: config.DEFAULT_CLIENT_QUOTA ?? {},
  });
  const metrics = createApiMetrics();
  const callbackQueue = createCallbackQueue({ connection: redis, prefix });
  callbackQueue.on('error', () => {});
  // The API queues one kind of event, `canceled`; the worker queues the others and posts them all.
  const statusEvents = createStatusCallbacks({
    outbox: new CallbackOutbox(redis, { prefix, retentionSeconds }),
    queue: callbackQueue,
    job: { attempts: config.CALLBACK_ATTEMPTS },
    defaultUrls: config.CALLBACK_DEFAULT_URLS ?? new Map(),
    timeoutMs: config.ENQUEUE_TIMEOUT_MS,
    onFailure: (err, context) => {
      metrics.callbackEnqueueFailures.inc({ client: context.client });
      logger.warn({ err, ...context }, 'status callback not queued');
    },
  });
  const deadLetterQueue = createDeadLetterQueue({ connection: redis, prefix });
  deadLetterQueue.on('error', () => {});
  const deadLetters = new DeadLetters({
    deadLetterQueue,
    smsQueue: queue,
    statusStore,
    statusLookup,
    redis,
    prefix,
    sendAttempts: config.SEND_ATTEMPTS,
  });
  const givenUpCallbacks = new GivenUpCallbacks(redis, {
    prefix,
    retentionSeconds: config.CALLBACK_FAILED_RETENTION_SECONDS,
    outboxRetentionSeconds: retentionSeconds,
  });
  // Operators reach the dead-letter and given-up callback routes only with an admin key.
  const adminRouter = config.ADMIN_API_KEYS
    ? createAdminRouter({
        deadLetters,
        givenUpCallbacks,
        callbackQueue,
        callbackJob: { attempts: config.CALLBACK_ATTEMPTS },
        logger,
      })
    : undefined;
  const queueUi = config.ADMIN_API_KEYS
    ? createQueueUi({ smsQueue: queue, deadLetterQueue, callbackQueue }, QUEUE_UI_PATH, {
        showMessages: config.QUEUE_UI_SHOW_MESSAGES,
      })
    : undefined;
  const apps = createApp({
    config: {
      apiKeys: config.API_KEYS,
      adminApiKeys: config.ADMIN_API_KEYS ?? new Map(),
      maxTextLength: config.MAX_TEXT_LENGTH,
      defaultValiditySeconds: config.DEFAULT_VALIDITY_SECONDS,
      maxValiditySeconds: config.MAX_VALIDITY_SECONDS,
      maxScheduleSeconds: config.MAX_SCHEDULE_SECONDS,
      maxSegments: config.MAX_SEGMENTS,
      maxBodyBytes: config.MAX_BODY_BYTES,
      sendAttempts: config.SEND_ATTEMPTS,
      redisTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
      maxBatchMessages: config.MAX_BATCH_MESSAGES,
      maxBatchBodyBytes: config.MAX_BATCH_BODY_BYTES,
      callbackHosts: config.CALLBACK_ALLOWED_HOSTS ?? new Map(),
      senderIds: {
        byClient: config.CLIENT_SENDER_IDS ?? new Map(),
        ...(config.DEFAULT_SENDER_IDS !== undefined && { others: config.DEFAULT_SENDER_IDS }),
        defaultFrom: config.CLIENT_DEFAULT_FROM ?? new Map(),
      },
      deliveryModes: config.CLIENT_DELIVERY_MODES ?? new Map(),
    },
    queue,
    statusStore,
    idempotencyStore,
    referenceIndex,
    statusLookup,
    quotas,
    redis,
    writeProbeKey: writeProbeKey(prefix, 'api'),
    ...(replication && { replication }),
    metrics,
    statusEvents,
    beforeScrape: async () => {
      // Redis' health is measured even when the queues cannot be read: that is when it matters.
      // A stalled Redis must not hold the scrape past Prometheus' timeout, or every series of
      // the API would go stale, sms_redis_connected with them.
      const health = measureRedis(metrics.redis, redis);
      try {
        const [sms, deadLetter, archive, givenUp] = await withTimeout(
          Promise.all([
            readQueueState(queue, redis),
            readQueueState(deadLetterQueue, redis),
            readArchiveBacklog(redis, prefix),
            givenUpCallbacks.counts(),
          ]),
          1_000,
          () => new Error('redis did not answer'),
        );
        recordQueueState(metrics.queueState, SMS_QUEUE, sms);
        recordQueueState(metrics.queueState, DEAD_LETTER_QUEUE, deadLetter);
        recordArchiveBacklog(metrics.queueState, archive);
        recordGivenUpCallbacks(metrics.queueState, givenUp);
      } finally {
        await health;
      }
    },
    logger,
    ...(adminRouter && { adminRouter }),
    ...(queueUi && { queueUi }),
    ...(tracing.enabled && { tracer: tracing.tracer }),
  });

  const limits = {
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
    maxConnections: config.MAX_CONNECTIONS,
  };
  const http = createHttpServer(apps.client, limits);
  const internalHttp = createHttpServer(apps.internal, limits);
  const portOf = (server: typeof http.server, configured: number) => {
    const address = server.address();
    return typeof address === 'object' && address ? address.port : configured;
  };
  http.server.listen(config.API_PORT, config.API_HOST, () => {
    const port = portOf(http.server, config.API_PORT);
    logger.info({ port, clients: [...new Set(config.API_KEYS.values())] }, 'api listening');
  });
  internalHttp.server.listen(config.ADMIN_PORT, config.ADMIN_HOST, () => {
    const port = portOf(internalHttp.server, config.ADMIN_PORT);
    logger.info({ port }, 'internal server listening: /metrics, /v1/admin, /admin/queues');
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing those in flight');
    const closed = await Promise.all([
      http.close(config.SHUTDOWN_TIMEOUT_MS),
      internalHttp.close(config.SHUTDOWN_TIMEOUT_MS),
    ]);
    const cutOff = closed.reduce((sum, { cutOff }) => sum + cutOff, 0);
    if (cutOff > 0) logger.warn({ cutOff }, 'shutdown timeout reached; requests in flight were cut off');
    await Promise.all([
      queue.close(),
      deadLetterQueue.close(),
      callbackQueue.close(),
      replication?.queue.close(),
    ]).catch(() => {});
    await redis.quit().catch(() => redis.disconnect());
    await replication?.connection.quit().catch(() => replication.connection.disconnect());
    await archivePool?.end().catch(() => {});
    await tracing.shutdown().catch((err: unknown) => logger.warn({ err }, 'last spans not exported'));
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // A configuration error is the operator's to fix: print the list, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
