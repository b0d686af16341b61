import {
  CallbackClient,
  type CallbackJobData,
  type CallbackJobSettings,
  CallbackOutbox,
  type CallbackQueue,
  createCallbackQueue,
  createStatusCallbacks,
  GivenUpCallbacks,
  type StatusEvents,
} from '@sms/callbacks';
import type { WorkerConfig } from '@sms/config';
import type { WorkerMetrics } from '@sms/metrics';
import type { RedisConnection } from '@sms/queue';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { createCallbackWorker } from './create-callback-worker';

export interface CallbackDeliveryDeps {
  /** Key prefix of the queues: `redisKeyPrefix(QUEUE_PREFIX)` (`@sms/config`). */
  readonly prefix: string;
  /** The outboxes' and the callback queue's connection (the dead-letter queue's too). */
  readonly connection: RedisConnection;
  /** The callback worker's own: BullMQ's worker blocks on it. */
  readonly workerConnection: RedisConnection;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  /** Warns of an event that could not be queued in time (rate-limited: a slow Redis fails many). */
  readonly logWarning: (details: object, message: string) => void;
}

/** Status callbacks in a worker process: how the send path records events, and who posts them. */
export interface CallbackDelivery {
  readonly outbox: CallbackOutbox;
  /** Callbacks given up after their last attempt, kept for CALLBACK_FAILED_RETENTION_SECONDS. */
  readonly givenUp: GivenUpCallbacks;
  readonly queue: CallbackQueue;
  readonly job: CallbackJobSettings;
  /** Where the send path records each status change a client's receiver is told of. */
  readonly statusEvents: StatusEvents;
  readonly client: CallbackClient;
  /** The second BullMQ worker of the process, which posts the events. */
  readonly worker: Worker<CallbackJobData>;
}

/**
 * Builds both halves of status callbacks from the configuration. Callbacks share the dead-letter
 * queue's connection: both are a BullMQ queue the send path adds to now and then, and neither
 * runs a MULTI that BullMQ's scripts would weigh down.
 */
export function createCallbackDelivery(config: WorkerConfig, deps: CallbackDeliveryDeps): CallbackDelivery {
  const { prefix, metrics, logger } = deps;
  const queue = createCallbackQueue({ connection: deps.connection, prefix });
  const outbox = new CallbackOutbox(deps.connection, {
    prefix,
    retentionSeconds: config.STATUS_RETENTION_SECONDS,
  });
  const givenUp = new GivenUpCallbacks(deps.connection, {
    prefix,
    retentionSeconds: config.CALLBACK_FAILED_RETENTION_SECONDS,
    outboxRetentionSeconds: config.STATUS_RETENTION_SECONDS,
  });
  const job = { attempts: config.CALLBACK_ATTEMPTS };
  const statusEvents = createStatusCallbacks({
    outbox,
    queue,
    job,
    defaultUrls: config.CALLBACK_DEFAULT_URLS ?? new Map(),
    timeoutMs: config.CALLBACK_ENQUEUE_TIMEOUT_MS,
    onFailure: (err, context) => {
      metrics.callbackEnqueueFailures.inc({ client: context.client });
      deps.logWarning({ err, ...context }, 'status callback not queued; the message goes on without it');
    },
  });
  const client = new CallbackClient({
    timeoutMs: config.CALLBACK_TIMEOUT_MS,
    maxSockets: config.CALLBACK_CONCURRENCY,
  });
  const worker = createCallbackWorker(
    {
      connection: deps.workerConnection,
      prefix,
      concurrency: config.CALLBACK_CONCURRENCY,
      retry: { baseMs: config.CALLBACK_RETRY_BASE_DELAY_MS, maxMs: config.CALLBACK_RETRY_MAX_DELAY_MS },
    },
    {
      outbox,
      givenUp,
      queue,
      client,
      allowedHosts: config.CALLBACK_ALLOWED_HOSTS ?? new Map(),
      secrets: config.CALLBACK_SECRETS ?? new Map(),
      metrics,
      logger,
    },
  );
  return { outbox, givenUp, queue, job, statusEvents, client, worker };
}
