import { randomUUID } from 'node:crypto';
import { type SmsJobData, validateSmsRequest } from '@sms/contracts';
import type { ApiMetrics } from '@sms/metrics';
import { metricsHandler } from '@sms/metrics';
import { enqueueSms, type SmsQueue } from '@sms/queue';
import type { StatusStore } from '@sms/status-store';
import express, { type NextFunction, type Request, type Response } from 'express';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { ApiError } from './api-error';
import { createAuthenticator } from './authenticate';
import { findMessage } from './find-message';
import { sendError } from './send-error';
import { withTimeout } from './with-timeout';

export interface AppConfig {
  readonly apiKeys: ReadonlyMap<string, string>;
  readonly maxTextLength: number;
  /** Validity of a message without `validFor`, and the longest `validFor` accepted, in seconds. */
  readonly defaultValiditySeconds: number;
  readonly maxValiditySeconds: number;
  readonly maxBodyBytes: number;
  readonly sendAttempts: number;
  /** Longest wait for Redis within a request before answering 503, in ms. */
  readonly redisTimeoutMs: number;
}

export interface AppDeps {
  readonly config: AppConfig;
  readonly queue: SmsQueue;
  readonly statusStore: StatusStore;
  /** The producer connection, pinged by `/readyz`. */
  readonly redis: Redis;
  readonly metrics: ApiMetrics;
  readonly logger: Logger;
}

// Seconds a caller should wait after a 503 before trying again.
const RETRY_AFTER_SECONDS = 5;

interface Locals {
  requestId: string;
  client: string;
  code: number;
}

/** The HTTP API: send, status, health, readiness and metrics. Builds no connections itself. */
export function createApp(deps: AppDeps): express.Express {
  const { config, metrics, logger } = deps;
  const authenticate = createAuthenticator(config.apiKeys);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  const redisUnavailable = () =>
    new ApiError(5030, 'the message store is unavailable', undefined, RETRY_AFTER_SECONDS);
  const inTime = <T>(work: Promise<T>) => withTimeout(work, config.redisTimeoutMs, redisUnavailable);

  // Counts and times each request under a fixed route label (never the raw path: ids would
  // make the label set unbounded).
  const observe = (route: string) => (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    const locals = res.locals as Locals;
    locals.requestId = req.get('x-request-id')?.slice(0, 128) || randomUUID();
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

  const authenticated = (req: Request, res: Response, next: NextFunction) => {
    (res.locals as Locals).client = authenticate(req.get('authorization'));
    next();
  };

  const jsonBody = express.json({ limit: config.maxBodyBytes, type: () => true, strict: false });
  const requireJson = (req: Request, _res: Response, next: NextFunction) => {
    const type = req.get('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new ApiError(
        4000,
        `Invalid content-type: ${type.slice(0, 100) || '(none)'}; send application/json`,
      );
    }
    next();
  };

  app.post('/v1/sms', observe('send'), authenticated, requireJson, jsonBody, async (req, res) => {
    const locals = res.locals as Locals;
    const result = validateSmsRequest(req.body, config);
    if (!result.ok) {
      throw new ApiError(result.error.code, result.error.message, result.error.field);
    }
    const id = randomUUID();
    const { validFor = config.defaultValiditySeconds, ...sms } = result.value;
    const acceptedAt = Date.now();
    const data: SmsJobData = {
      ...sms,
      client: locals.client,
      acceptedAt,
      expiresAt: acceptedAt + validFor * 1000,
      requestId: locals.requestId,
    };
    try {
      await inTime(enqueueSms(deps.queue, id, data, { attempts: config.sendAttempts }));
    } catch (error) {
      if (!(error instanceof ApiError))
        logger.error({ err: error, requestId: locals.requestId }, 'enqueue failed');
      throw redisUnavailable();
    }
    metrics.accepted.inc({ client: locals.client });
    locals.code = 2020;
    res.status(202).location(`/v1/sms/${id}`).json({ id, status: 'queued' });
  });

  app.get('/v1/sms/:id', observe('status'), authenticated, async (req, res) => {
    const id = String(req.params.id);
    const view = await inTime(findMessage(deps, id, (res.locals as Locals).client)).catch(
      (error: unknown) => {
        if (error instanceof ApiError) throw error;
        logger.error({ err: error }, 'status read failed');
        throw redisUnavailable();
      },
    );
    if (!view) throw new ApiError(4041, `no message with id ${id.slice(0, 64)}`);
    res.json(view);
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    try {
      await inTime(deps.redis.ping());
      res.json({ status: 'ready', redis: 'ok' });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', redis: (error as Error).message });
    }
  });

  app.get('/metrics', metricsHandler(metrics.registry));

  app.use(observe('unknown'), () => {
    throw new ApiError(4040, 'Unknown request: see the README for the routes');
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const locals = res.locals as Partial<Locals>;
    const requestId = locals.requestId ?? randomUUID();
    const { code, unexpected } = sendError(res, error, requestId);
    locals.code = code;
    if (unexpected) logger.error({ err: unexpected, requestId }, 'unexpected error');
  });

  return app;
}
