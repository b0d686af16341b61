import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ArchiveWriter, createArchivePool } from '@sms/archive';
import { type ArchiverConfig, redisKeyPrefix, redisTargetOf } from '@sms/config';
import { rateLimitedLog } from '@sms/logging';
import { type ArchiverMetrics, createArchiverMetrics, createStatusServer, listenOn } from '@sms/metrics';
import {
  createProducerConnection,
  createWorkerConnection,
  logConnectionChanges,
  pingRedis,
  waitForRedis,
  withTimeout,
} from '@sms/queue';
import { type ServiceRuntime, type StartedService, serviceRuntime } from '@sms/service-lifecycle';
import { StatusStore } from '@sms/status-store';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { archiveBatch } from './archive-batch';
import { ArchiveConsumer } from './archive-consumer';
import { ArchiveLoop } from './archive-loop';
import { forgetIdleConsumers } from './forget-idle-consumers';
import { startPartitionUpkeep } from './partition-upkeep';

export interface ArchiverRuntimeDeps {
  readonly logger: Logger;
  /** Prefix of every key. @defaultValue `redisKeyPrefix(config.QUEUE_PREFIX)` */
  readonly keyPrefix?: string;
  /** This archiver's name in the consumer group. @defaultValue host, pid and a random part */
  readonly consumer?: string;
  /** How long a read waits for new entries, in ms. @defaultValue 5000 */
  readonly blockMs?: number;
  /** Delays between tries after a failure. @defaultValue 500 to 30000 ms */
  readonly backoff?: { readonly minMs: number; readonly maxMs: number };
  /** Between rounds of partition upkeep, in ms. @defaultValue 3600000 (hourly) */
  readonly upkeepIntervalMs?: number;
}

/** What a started archiver runs, for whoever started it to look at. */
export interface RunningArchiver {
  /** The status server's port: ARCHIVER_HTTP_PORT, or the one the system chose for 0. */
  readonly port: number;
  readonly keyPrefix: string;
  readonly consumer: string;
  readonly metrics: ArchiverMetrics;
}

export interface ArchiverRuntime extends ServiceRuntime<RunningArchiver> {
  /**
   * Waits for Redis, creates the archive stream and its group (from then on final messages are
   * handed to it), starts archiving, the partition upkeep and the status server; resolves once
   * the server listens. PostgreSQL need not be up: archiving waits for it. Rejects (having closed
   * what it opened) when Redis does not answer in time or the port is taken.
   */
  start(): Promise<RunningArchiver>;
  /** Lets a batch in flight finish, then closes everything. Calling it again returns the same promise. */
  stop(): Promise<void>;
}

/** The archiver process, built from its configuration: what `main.ts` starts, and tests too. */
export function createArchiverRuntime(config: ArchiverConfig, deps: ArchiverRuntimeDeps): ArchiverRuntime {
  return serviceRuntime('archiver', () => startParts(config, deps));
}

// A stalled store answers nothing and fails nothing: a probe or a scrape must still get an answer.
const withinASecond = <T>(work: Promise<T>) =>
  withTimeout(work, 1_000, () => new Error('no answer within 1 s'));

async function startParts(
  config: ArchiverConfig,
  deps: ArchiverRuntimeDeps,
): Promise<StartedService<RunningArchiver>> {
  const { logger } = deps;
  const prefix = deps.keyPrefix ?? redisKeyPrefix(config.QUEUE_PREFIX);
  const consumerName = deps.consumer ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const target = redisTargetOf(config);
  // The loop's reads block; the probe answers readiness and stays out of their way.
  const redis = createWorkerConnection(target);
  const probe = createProducerConnection(target);
  logConnectionChanges(logger, redis);
  probe.on('error', () => {});
  const consumer = new ArchiveConsumer(redis, {
    prefix,
    consumer: consumerName,
    batchSize: config.ARCHIVE_BATCH_SIZE,
    claimIdleMs: config.ARCHIVE_CLAIM_IDLE_MS,
    blockMs: deps.blockMs ?? 5_000,
  });
  try {
    await waitForRedis(probe, logger);
    await consumer.prepare(config.ARCHIVE_BACKLOG_LIMIT);
  } catch (error) {
    redis.disconnect();
    probe.disconnect();
    throw error;
  }

  const metrics = createArchiverMetrics();
  const pool = createArchivePool(config.DATABASE_URL);
  const logError = rateLimitedLog(logger);
  const statusStore = new StatusStore(redis, { prefix, retentionSeconds: config.STATUS_RETENTION_SECONDS });
  const writer = new ArchiveWriter(pool);
  const loop = new ArchiveLoop({
    next: () => consumer.next(),
    archive: (entries) =>
      archiveBatch(
        {
          redis,
          statusStore,
          writer,
          prefix,
          hotMs: config.STATUS_HOT_SECONDS * 1_000,
          onCorrupt: (id, err) =>
            logError({ err, id }, 'a status record holds values the gateway never writes; not archived'),
        },
        entries,
      ),
    metrics,
    logError,
    logInfo: (details, message) => logger.info(details, message),
    interruptRead: () => redis.disconnect(),
    ...(deps.backoff && { backoff: deps.backoff }),
  });
  loop.start();
  // A live archiver reads every few seconds: a day idle is a process long gone.
  const forgetting = setInterval(() => {
    forgetIdleConsumers(probe, prefix, 86_400_000).then(
      (forgotten) =>
        forgotten.length > 0 && logger.info({ forgotten }, 'consumers of gone archivers removed'),
      (err: unknown) => logError({ err }, 'could not remove the consumers of gone archivers'),
    );
  }, 3_600_000);
  const upkeep = startPartitionUpkeep({
    pool,
    retentionSeconds: config.STATUS_RETENTION_SECONDS,
    intervalMs: deps.upkeepIntervalMs ?? 3_600_000,
    onDone: () => metrics.postgresUp.set(1),
    logger,
  });

  const server = createStatusServer({
    registry: metrics.registry,
    probePaths: { health: '/health', ready: '/ready' },
    beforeScrape: async () => {
      metrics.postgresUp.set((await postgresAnswers(pool)) ? 1 : 0);
    },
    // Ready while Redis answers: with PostgreSQL down the archiver waits for it, and a restart
    // would not bring it back (sms_archive_postgres_up says so).
    checkReady: async () => {
      await withinASecond(pingRedis(probe));
      return { redis: 'ok', postgres: (await postgresAnswers(pool)) ? 'ok' : 'unavailable' };
    },
  });

  const stop = async () => {
    clearInterval(forgetting);
    await Promise.all([upkeep.stop(), loop.stop()]);
    server.close();
    await pool.end().catch(() => {});
    await Promise.all([redis.quit().catch(() => {}), probe.quit().catch(() => {})]);
  };

  try {
    const port = await listenOn(server, config.ARCHIVER_HTTP_PORT, config.ARCHIVER_HTTP_HOST);
    return { running: { port, keyPrefix: prefix, consumer: consumerName, metrics }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function postgresAnswers(pool: Pool): Promise<boolean> {
  try {
    await withinASecond(pool.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}
