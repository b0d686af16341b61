import { ArchiveUnavailableError, type StatusLookup } from '@sms/archive';
import type { StatusEvents } from '@sms/callbacks';
import { type CallbackOrigin, type DeliveryMode, validateSmsRequest } from '@sms/contracts';
import type { ApiMetrics } from '@sms/metrics';
import { metricsHandler } from '@sms/metrics';
import {
  pingRedis,
  type RedisConnection,
  type ReplicaAcknowledgement,
  redisWriteRefusal,
  type SmsQueue,
  withTimeout,
} from '@sms/queue';
import type { ReferenceIndex, StatusStore } from '@sms/status-store';
import type { Tracer } from '@sms/tracing';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { createAcceptMessage, redisUnavailable } from './accept-message';
import { ApiError } from './api-error';
import { type Authenticate, createAuthenticator } from './authenticate';
import { createAcceptBatch } from './batch/accept-batch';
import { sendBatch } from './batch/send-batch';
import { createCheckSenderId, type SenderIdSettings } from './check-sender-id';
import { clientLimits } from './client-limits';
import { findMessage } from './find-message';
import { type IdempotencyStore, idempotencyKeyOf } from './idempotency';
import { jsonBody, requireJson } from './json-body';
import { createKaaraiEntry, KAARAI_ENTRY_PATH, KAARAI_SEND_PATH } from './kaarai-entry/create-kaarai-entry';
import { createMessageRoutes } from './message-routes';
import { acceptedView } from './message-views';
import { createApiDocsRouter } from './openapi/api-docs-routes';
import { buildOpenApiDocument } from './openapi/build-openapi-document';
import type { ClientQuotas } from './quota/client-quotas';
import { createQuotaGuard, NO_QUOTA_GUARD } from './quota/quota-guard';
import { requestIdOf } from './request-id';
import { sendError } from './send-error';
import { type TracedLocals, traceRequest } from './trace-request';

export interface AppConfig {
  /** Client keys: key to client name. */
  readonly apiKeys: ReadonlyMap<string, string>;
  /** Keys of `/v1/admin`: key to operator name; none may also be a client key. */
  readonly adminApiKeys: ReadonlyMap<string, string>;
  readonly maxTextLength: number;
  /** Validity of a message without `validFor`, and the longest `validFor` accepted, in seconds. */
  readonly defaultValiditySeconds: number;
  readonly maxValiditySeconds: number;
  readonly maxBodyBytes: number;
  readonly sendAttempts: number;
  /** Longest wait for Redis within a request before answering 503, in ms. */
  readonly redisTimeoutMs: number;
  /** Farthest `sendAt` ahead, in seconds, and most SMS parts of a text (`validateSmsRequest`). */
  readonly maxScheduleSeconds: number;
  readonly maxSegments: number;
  /** Most messages, and largest body in bytes, of `POST /v1/sms/batch`. */
  readonly maxBatchMessages: number;
  readonly maxBatchBodyBytes: number;
  /** Where each client's callbacks may go (CALLBACK_ALLOWED_HOSTS); a client not in it has none. */
  readonly callbackHosts?: ReadonlyMap<string, readonly CallbackOrigin[]>;
  /** Which `from` each client may use, and its default (CLIENT_SENDER_IDS...). @defaultValue any, none */
  readonly senderIds?: SenderIdSettings;
  /** Each client's delivery mode for messages that do not name one (CLIENT_DELIVERY_MODES). */
  readonly deliveryModes?: ReadonlyMap<string, DeliveryMode>;
}

export interface AppDeps {
  readonly config: AppConfig;
  readonly queue: SmsQueue;
  readonly statusStore: StatusStore;
  /** Remembers `Idempotency-Key`s of `POST /v1/sms`. */
  readonly idempotencyStore: IdempotencyStore;
  /** Messages by their client's `reference`, for `GET /v1/sms?reference=`. */
  readonly referenceIndex: ReferenceIndex;
  /** Status reads: Redis, then the archive (with DATABASE_URL) once Redis has let a record go. */
  readonly statusLookup: StatusLookup;
  /** The clients' quotas (CLIENT_QUOTAS), checked on every route that takes messages. */
  readonly quotas?: ClientQuotas;
  /**
   * The producer connection, pinged by `/readyz` (every primary of a Cluster), which also writes
   * to `writeProbeKey`: Redis answers a PING while it refuses writes.
   */
  readonly redis: RedisConnection;
  /** The key `/readyz` writes to (`writeProbeKey` of `@sms/queue`). */
  readonly writeProbeKey: string;
  /**
   * With REDIS_WAIT_REPLICAS: messages are added through `queue`, a send queue on a connection of
   * its own, and answered 202 only once `acknowledgement` confirms enough replicas hold them.
   * The connection is its own because WAIT blocks it, and status reads must not wait behind.
   */
  readonly replication?: {
    readonly queue: SmsQueue;
    readonly acknowledgement: ReplicaAcknowledgement;
  };
  readonly metrics: ApiMetrics;
  /** Queues status callbacks (here: `canceled`) for messages with a receiver. @defaultValue none */
  readonly statusEvents?: StatusEvents;
  /** Refreshes the gauges read from Redis (queue depths) before each scrape. */
  readonly beforeScrape?: () => Promise<void>;
  readonly logger: Logger;
  /** Operator routes, mounted at `/v1/admin` behind the admin keys. */
  readonly adminRouter?: Router;
  /** The queue UI (`createQueueUi`), mounted at `/admin/queues` behind the admin keys, if any. */
  readonly queueUi?: express.Express;
  /** Traces `POST /v1/sms` and its enqueue (`startTracing`). @defaultValue none: no spans */
  readonly tracer?: Tracer;
}

/** Where the queue UI is mounted; `createQueueUi` needs it to link its pages and files. */
export const QUEUE_UI_PATH = '/admin/queues';

// A browser shows its login prompt only when a 401 names the Basic scheme (RFC 7617).
const QUEUE_UI_CHALLENGE = 'Basic realm="sms-gateway admin"';

interface Locals extends TracedLocals {
  requestId: string;
  /** Who presented the key: the client, or on `/v1/admin` the operator. */
  client: string;
  code: number;
}

/**
 * The API's two HTTP surfaces, each for a server of its own: what clients may reach, and what
 * only operators and Prometheus may. On separate ports, a NetworkPolicy or a firewall can keep
 * the second internal; on one port, every client could read every client's volumes in /metrics.
 */
export interface ApiApps {
  /** Sending, status look-ups, the Kaarai-compatible entry, docs, health and readiness (API_PORT). */
  readonly client: express.Express;
  /** /metrics, /v1/admin and the queue UI, with health and readiness too (ADMIN_PORT). */
  readonly internal: express.Express;
}

/** The HTTP API: send, status, health, readiness, admin and metrics. Builds no connections itself. */
export function createApp(deps: AppDeps): ApiApps {
  const { config, metrics, logger } = deps;
  for (const key of config.adminApiKeys.keys()) {
    if (config.apiKeys.has(key)) throw new Error('an admin key must not also be a client key');
  }
  const app = express();
  const internal = express();
  for (const surface of [app, internal]) {
    surface.disable('x-powered-by');
    surface.disable('etag');
  }

  const inTime = <T>(work: Promise<T>) => withTimeout(work, config.redisTimeoutMs, redisUnavailable);
  const acceptMessage = createAcceptMessage(deps);
  const limitsOf = clientLimits(config, config.callbackHosts ?? new Map());
  const checkSenderId = createCheckSenderId(config.senderIds);
  const quota = deps.quotas
    ? createQuotaGuard({ ...deps, quotas: deps.quotas, timeoutMs: config.redisTimeoutMs })
    : NO_QUOTA_GUARD;

  // Counts and times each request under a fixed route label (never the raw path: ids would
  // make the label set unbounded).
  const observe = (route: string) => (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const locals = res.locals as Locals;
    locals.requestId = requestIdOf(req);
    locals.client = '';
    locals.code = 0;
    res.setHeader('X-Request-Id', locals.requestId);
    res.on('finish', () => {
      metrics.duration.observe({ route }, (performance.now() - started) / 1000);
      metrics.requests.inc({ route, status: res.statusCode, code: locals.code, client: locals.client });
      if (route === 'send' && res.statusCode >= 400 && res.statusCode < 500) {
        metrics.rejected.inc({ code: locals.code, client: locals.client });
      }
    });
    next();
  };

  const bearer = (authenticate: Authenticate) => (req: Request, res: Response, next: NextFunction) => {
    (res.locals as Locals).client = authenticate(req.get('authorization'));
    next();
  };
  const authenticated = bearer(createAuthenticator(config.apiKeys));

  const readBody = jsonBody(config.maxBodyBytes);
  // A client's quota is checked before its body is read: one request, one message of its day.
  const limitedClient = [authenticated, ...quota.oneMessage];
  const traced = (route: string) => (deps.tracer ? [traceRequest(deps.tracer, route)] : []);
  app.post(
    '/v1/sms',
    observe('send'),
    ...traced('/v1/sms'),
    ...limitedClient,
    requireJson,
    readBody,
    async (req, res) => {
      const locals = res.locals as Locals;
      const idempotencyKey = idempotencyKeyOf(req);
      const result = checkSenderId(locals.client, validateSmsRequest(req.body, limitsOf(locals.client)));
      if (!result.ok) {
        throw new ApiError(result.error.code, result.error.message, result.error.field);
      }
      const { id, replayed, data } = await acceptMessage({
        client: locals.client,
        requestId: locals.requestId,
        request: result.value,
        ...(idempotencyKey !== undefined && { idempotencyKey }),
        ...(locals.trace && { trace: locals.trace }),
      });
      locals.messageIds = [id];
      if (replayed) res.setHeader('Idempotency-Replayed', 'true');
      locals.code = 2020;
      res.status(202).location(`/v1/sms/${id}`).json(acceptedView(id, data));
    },
  );

  app.post(
    '/v1/sms/batch',
    observe('batch'),
    ...traced('/v1/sms/batch'),
    authenticated,
    ...quota.request,
    ...sendBatch({
      limits: config,
      limitsOf,
      checkSenderId,
      acceptBatch: createAcceptBatch(deps),
      quota,
    }),
  );

  app.use(
    KAARAI_ENTRY_PATH,
    observe('kaarai'),
    ...traced(`${KAARAI_ENTRY_PATH}${KAARAI_SEND_PATH}`),
    createKaaraiEntry({
      apiKeys: config.apiKeys,
      limits: config,
      checkSenderId,
      acceptMessage,
      quota,
      logger,
    }),
  );

  const messageRoutes = createMessageRoutes(deps);
  app.get('/v1/sms', observe('find'), authenticated, messageRoutes.findByReference);
  app.delete('/v1/sms/:id', observe('cancel'), authenticated, messageRoutes.cancel);

  app.get('/v1/sms/:id', observe('status'), authenticated, async (req, res) => {
    const id = String(req.params.id);
    const view = await inTime(findMessage(deps, id, (res.locals as Locals).client)).catch(
      (error: unknown) => {
        if (error instanceof ApiError) throw error;
        if (error instanceof ArchiveUnavailableError) throw error;
        logger.error({ err: error }, 'status read failed');
        throw redisUnavailable();
      },
    );
    if (!view) throw new ApiError(4041, `no message with id ${id.slice(0, 64)}`);
    res.json(view);
  });

  const healthz = (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  };

  // Not ready while Redis refuses writes (out of memory, a full disk...): every message would be
  // answered 503, and a load balancer should send callers to an API that can take them.
  const readyz = async (_req: Request, res: Response) => {
    try {
      await inTime(pingRedis(deps.redis));
      const refusal = await inTime(redisWriteRefusal(deps.redis, deps.writeProbeKey));
      if (refusal) {
        const reason = `redis refuses writes (${refusal.code}): ${refusal.reason}`;
        res.status(503).json({ status: 'unavailable', redis: reason, reason });
        return;
      }
      res.json({ status: 'ready', redis: 'ok' });
    } catch (error) {
      const reason = (error as Error).message;
      res.status(503).json({ status: 'unavailable', redis: reason, reason });
    }
  };
  for (const surface of [app, internal]) {
    surface.get('/healthz', healthz);
    surface.get('/readyz', readyz);
  }

  internal.get('/metrics', metricsHandler(metrics.registry, deps.beforeScrape));

  // Built once, from the limits this app runs with and the routes it mounts.
  const document = buildOpenApiDocument({
    ...config,
    adminRoutes: deps.adminRouter !== undefined,
    queueUi: deps.queueUi !== undefined && config.adminApiKeys.size > 0,
    archive: deps.statusLookup.readsArchive,
  });
  // Express answers OPTIONS by itself (200, the path's methods as text/plain) in a router with
  // a route on that path: the docs, admin and queue UI routers. The API serves no browser from
  // another origin, so OPTIONS is an unknown request, as every other method a route lacks.
  for (const surface of [app, internal]) surface.options(/.*/, observe('unknown'), unknownRequest);
  app.use(createApiDocsRouter(document));

  if (deps.adminRouter) {
    const admin = bearer(createAuthenticator(config.adminApiKeys));
    internal.use('/v1/admin', observe('admin'), admin, deps.adminRouter);
  }

  // Browsers cannot be told to send a bearer token, so the UI also takes an admin key as the
  // Basic password. Its page, static files and JSON API are all behind the check.
  if (deps.queueUi && config.adminApiKeys.size > 0) {
    const authenticateOperator = createAuthenticator(config.adminApiKeys, { basic: true });
    const operator = (req: Request, res: Response, next: NextFunction) => {
      try {
        (res.locals as Locals).client = authenticateOperator(req.get('authorization'));
      } catch (error) {
        res.setHeader('WWW-Authenticate', QUEUE_UI_CHALLENGE);
        throw error;
      }
      next();
    };
    internal.use(QUEUE_UI_PATH, observe('queue_ui'), operator, deps.queueUi);
  }

  const answerError = (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const locals = res.locals as Partial<Locals>;
    // A path that does not percent-decode fails before any route's `observe` could name the request.
    const requestId = locals.requestId ?? requestIdOf(req);
    if (!res.headersSent) res.setHeader('X-Request-Id', requestId);
    const { code, unexpected } = sendError(res, error, requestId);
    locals.code = code;
    if (unexpected) logger.error({ err: unexpected, requestId }, 'unexpected error');
  };
  for (const surface of [app, internal]) {
    surface.use(observe('unknown'), unknownRequest);
    surface.use(answerError);
  }

  return { client: app, internal };
}

function unknownRequest(): never {
  throw new ApiError(4040, 'Unknown request: /openapi.json lists the routes');
}
