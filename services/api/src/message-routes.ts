import { ArchiveUnavailableError } from '@sms/archive';
import type { StatusEvents } from '@sms/callbacks';
import type { ReferenceLookup } from '@sms/contracts';
import { withTimeout } from '@sms/queue';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { redisUnavailable } from './accept-message';
import { ApiError } from './api-error';
import { cancelMessage } from './cancel-message';
import { findByReference, type ReferenceSources, referenceOf } from './find-by-reference';

export interface MessageRouteDeps extends ReferenceSources {
  /** Where a cancellation is told to the message's receiver, if it has one. */
  readonly statusEvents?: StatusEvents;
  readonly config: { readonly redisTimeoutMs: number };
  readonly logger: Logger;
}

export interface MessageRoutes {
  /** `GET /v1/sms?reference=`: 200 `{ reference, messages }`. */
  readonly findByReference: RequestHandler;
  /** `DELETE /v1/sms/:id`: 200 with the message's status view, `canceled`. */
  readonly cancel: RequestHandler;
}

/**
 * The handlers of `GET /v1/sms?reference=` and `DELETE /v1/sms/:id`, behind the client's key
 * (`res.locals.client`). Redis failures and timeouts become 503 (5030); an archive that cannot
 * be asked, 503 (5031, in `sendError`).
 */
export function createMessageRoutes(deps: MessageRouteDeps): MessageRoutes {
  const inRedis = <T>(what: string, work: Promise<T>) =>
    withTimeout(work, deps.config.redisTimeoutMs, redisUnavailable).catch((error: unknown) => {
      if (error instanceof ApiError || error instanceof ArchiveUnavailableError) throw error;
      deps.logger.error({ err: error }, `${what} failed`);
      throw redisUnavailable();
    });
  const clientOf = (res: Response) => (res.locals as { client: string }).client;

  return {
    findByReference: async (req: Request, res: Response) => {
      const reference = referenceOf(req.query);
      const messages = await inRedis('look-up by reference', findByReference(deps, clientOf(res), reference));
      const answer: ReferenceLookup = { reference, messages };
      res.json(answer);
    },
    cancel: async (req: Request, res: Response) => {
      const id = String(req.params.id);
      res.json(await inRedis('cancel', cancelMessage(deps, id, clientOf(res))));
    },
  };
}
