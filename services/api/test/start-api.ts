import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type ArchiveReader, StatusLookup } from '@sms/archive';
import { createCallbackQueue } from '@sms/callbacks';
import { DeadLetters } from '@sms/dead-letters';
import { createApiMetrics } from '@sms/metrics';
import {
  createDeadLetterQueue,
  createProducerConnection,
  createSmsQueue,
  ReplicaAcknowledgement,
  waitForRedis,
  writeProbeKey,
} from '@sms/queue';
import { ReferenceIndex, StatusStore } from '@sms/status-store';
import type { Router } from 'express';
import pino, { type Logger } from 'pino';
import { type AppConfig, createApp, QUEUE_UI_PATH } from '../src/create-app';
import { createQueueUi } from '../src/create-queue-ui';
import { createDeadLetterRouter } from '../src/dead-letter-routes';
import { IdempotencyStore } from '../src/idempotency';
import { ClientQuotas, type ClientQuotasOptions } from '../src/quota/client-quotas';

export const TEST_KEY = 'test-key-0123456789abcdef';
export const OTHER_KEY = 'other-key-0123456789abcdef';
export const ADMIN_KEY = 'admin-key-0123456789abcdef';

/** Parts of the app a test may replace. */
export interface StartApiOptions {
  /** @defaultValue a silent logger */
  readonly logger?: Logger;
  readonly adminRouter?: Router;
  /** Without `adminRouter`: the real dead-letter routes over the app's queues. @defaultValue false */
  readonly deadLetterRoutes?: boolean;
  /** @defaultValue 86400 */
  readonly idempotencyTtlSeconds?: number;
  /** Serve the queue UI over the app's queues. @defaultValue false */
  readonly queueUi?: boolean;
  /** The queue UI shows receivers and texts in full (QUEUE_UI_SHOW_MESSAGES). @defaultValue false */
  readonly queueUiShowsMessages?: boolean;
  /** Replicas each message must reach before its 202 (REDIS_WAIT_REPLICAS). @defaultValue 0 */
  readonly waitReplicas?: number;
  /** The clients' quotas, counted under the app's prefix. @defaultValue none */
  readonly quotas?: Omit<ClientQuotasOptions, 'prefix'>;
  /** Where status reads go once Redis has no record (DATABASE_URL). @defaultValue none: Redis alone */
  readonly archive?: ArchiveReader;
}

export interface RunningApi {
  /** The clients' server (API_PORT). */
  readonly url: string;
  /** The internal server (ADMIN_PORT): /metrics, /v1/admin, /admin/queues. */
  readonly adminUrl: string;
  readonly prefix: string;
  readonly queue: ReturnType<typeof createSmsQueue>;
  readonly deadLetterQueue: ReturnType<typeof createDeadLetterQueue>;
  readonly callbackQueue: ReturnType<typeof createCallbackQueue>;
  readonly statusStore: StatusStore;
  readonly referenceIndex: ReferenceIndex;
  readonly metrics: ReturnType<typeof createApiMetrics>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, key?: string): Promise<Response>;
  stop(): Promise<void>;
}

const INTERNAL_PATHS = /^\/(?:metrics|v1\/admin|admin\/queues)(?:[/?]|$)/;

/** The server that serves `path`: the internal one for /metrics and the operators' routes. */
export function baseUrlFor(api: Pick<RunningApi, 'url' | 'adminUrl'>, path: string): string {
  return INTERNAL_PATHS.test(path) ? api.adminUrl : api.url;
}

/** The API built from its real parts on a real Redis, with its two servers on free ports. */
export async function startApi(
  redisUrl: string,
  overrides: Partial<AppConfig> = {},
  prefix = `t${randomUUID().slice(0, 8)}`,
  options: StartApiOptions = {},
): Promise<RunningApi> {
  const redis = createProducerConnection({ kind: 'server', url: redisUrl });
  redis.on('error', () => {});
  // As main.ts does: the connection has no offline queue, so a request sent before it is ready
  // would be answered 503.
  await waitForRedis(redis, { warn: () => {} });
  const queue = createSmsQueue({ connection: redis, prefix });
  queue.on('error', () => {});
  const deadLetterQueue = createDeadLetterQueue({ connection: redis, prefix });
  deadLetterQueue.on('error', () => {});
  const callbackQueue = createCallbackQueue({ connection: redis, prefix });
  callbackQueue.on('error', () => {});
  const statusStore = new StatusStore(redis, { prefix });
  const referenceIndex = new ReferenceIndex(redis, { prefix, retentionSeconds: 3_600 });
  const statusLookup = new StatusLookup({
    statusStore,
    referenceIndex,
    // As main.ts does: the archive's wait ends before the request's.
    ...(options.archive && {
      archive: options.archive,
      archiveTimeoutMs: Math.round(((overrides.redisTimeoutMs ?? 1_000) * 2) / 3),
    }),
  });
  const idempotencyStore = new IdempotencyStore(redis, {
    prefix,
    ttlSeconds: options.idempotencyTtlSeconds ?? 86_400,
  });
  const metrics = createApiMetrics();
  // As main.ts does: the adds that WAIT confirms have a connection of their own.
  const replicated = options.waitReplicas
    ? createProducerConnection({ kind: 'server', url: redisUrl })
    : undefined;
  replicated?.on('error', () => {});
  if (replicated) await waitForRedis(replicated, { warn: () => {} });
  const replication = replicated && {
    queue: createSmsQueue({ connection: replicated, prefix }),
    acknowledgement: new ReplicaAcknowledgement(replicated, {
      replicas: options.waitReplicas!,
      timeoutMs: 200,
      keyPrefix: prefix,
    }),
  };
  const logger = options.logger ?? pino({ level: 'silent' });
  const deadLetters = options.deadLetterRoutes
    ? new DeadLetters({
        deadLetterQueue,
        smsQueue: queue,
        statusStore,
        statusLookup,
        redis,
        prefix,
        sendAttempts: 3,
      })
    : undefined;
  const adminRouter = options.adminRouter ?? (deadLetters && createDeadLetterRouter({ deadLetters, logger }));
  const build = () =>
    createApp({
      config: {
        apiKeys: new Map([
          [TEST_KEY, 'billing'],
          [OTHER_KEY, 'marketing'],
        ]),
        adminApiKeys: new Map([[ADMIN_KEY, 'ops']]),
        maxTextLength: 500,
        defaultValiditySeconds: 3_600,
        maxValiditySeconds: 86_400,
        maxScheduleSeconds: 2_592_000,
        maxSegments: 10,
        maxBodyBytes: 4096,
        sendAttempts: 3,
        redisTimeoutMs: 1_000,
        maxBatchMessages: 1_000,
        maxBatchBodyBytes: 1_048_576,
        ...overrides,
      },
      queue,
      statusStore,
      idempotencyStore,
      referenceIndex,
      statusLookup,
      ...(options.quotas && { quotas: new ClientQuotas(redis, { prefix, ...options.quotas }) }),
      redis,
      writeProbeKey: writeProbeKey(prefix, 'api'),
      ...(replication && { replication }),
      metrics,
      logger,
      ...(adminRouter && { adminRouter }),
      ...(options.queueUi && {
        queueUi: createQueueUi({ smsQueue: queue, deadLetterQueue, callbackQueue }, QUEUE_UI_PATH, {
          showMessages: options.queueUiShowsMessages ?? false,
        }),
      }),
    });
  let app: ReturnType<typeof createApp>;
  try {
    app = build();
  } catch (error) {
    await Promise.all([queue.close(), deadLetterQueue.close(), callbackQueue.close()]);
    redis.disconnect();
    throw error;
  }
  const servers = [app.client, app.internal].map((surface) => surface.listen(0, '127.0.0.1'));
  await Promise.all(servers.map((server) => new Promise((resolve) => server.once('listening', resolve))));
  const [url, adminUrl] = servers.map(
    (server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  ) as [string, string];
  return {
    url,
    adminUrl,
    prefix,
    queue,
    deadLetterQueue,
    callbackQueue,
    statusStore,
    referenceIndex,
    metrics,
    post: (path, body, headers = {}) =>
      fetch(url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: (path, key = TEST_KEY) => fetch(url + path, { headers: { authorization: `Bearer ${key}` } }),
    stop: async () => {
      await Promise.all(
        servers.map((server) => {
          server.closeAllConnections();
          return new Promise((resolve) => server.close(resolve));
        }),
      );
      await Promise.all([
        queue.close(),
        deadLetterQueue.close(),
        callbackQueue.close(),
        replication?.queue.close(),
      ]);
      redis.disconnect();
      replicated?.disconnect();
    },
  };
}
