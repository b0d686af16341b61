import { randomUUID } from 'node:crypto';
import { type ValidationLimits, validateSmsRequest } from '@sms/contracts';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Acceptance, MessageToAccept } from '../accept-message';
import { ApiError } from '../api-error';
import { basicCredentials, createSecretMatcher } from '../authenticate';
import type { CheckSenderId } from '../check-sender-id';
import { jsonBody, requireJson } from '../json-body';
import type { QuotaGuard } from '../quota/quota-guard';
import { toApiError } from '../send-error';
import type { TracedLocals } from '../trace-request';
import { type KaaraiAnswer, kaaraiAnswerFor, QUEUED_ANSWER } from './kaarai-answer';

/** Where the entry is mounted: Kaarai's own path follows, so a client changes only its base URL. */
export const KAARAI_ENTRY_PATH = '/kaarai';
/** Kaarai's send path, as the gateway's worker and the simulator use it. */
export const KAARAI_SEND_PATH = '/api/v1/sms/send';

export interface KaaraiEntryDeps {
  /** Client keys: key to client name (API_KEYS). */
  readonly apiKeys: ReadonlyMap<string, string>;
  readonly limits: ValidationLimits & { readonly maxBodyBytes: number };
  /** The client's sender id rule (`createCheckSenderId`); its 4032 is answered as Kaarai's 4030. */
  readonly checkSenderId: CheckSenderId;
  readonly acceptMessage: (message: MessageToAccept) => Promise<Acceptance>;
  readonly quota: QuotaGuard;
  readonly logger: Pick<Logger, 'error'>;
}

interface Locals extends TracedLocals {
  requestId: string;
}

/**
 * An entry that speaks Kaarai's send-SMS API, so that a client written for Kaarai can send
 * through the gateway by changing its URL and credentials: `POST {KAARAI_SEND_PATH}` with
 * HTTP Basic authentication (the client's name as user, its API key as password) and Kaarai's
 * JSON body, answered in Kaarai's codes and texts. The message is judged and accepted exactly
 * as `POST /v1/sms` does, then answered 202 with 2021, «Queued for later delivery».
 *
 * It writes its own answers, in Kaarai's form rather than the gateway's error body: this
 * router's error handler turns every failure into one (`kaaraiAnswerFor`).
 */
export function createKaaraiEntry(deps: KaaraiEntryDeps): express.Router {
  const { limits, checkSenderId, acceptMessage, quota, logger } = deps;
  const router = express.Router();
  const authenticate = createKaaraiAuthenticator(deps.apiKeys);

  const basicAuth = (req: Request, res: Response, next: NextFunction) => {
    (res.locals as Locals).client = authenticate(req.get('authorization'));
    next();
  };

  router.post(
    KAARAI_SEND_PATH,
    basicAuth,
    ...quota.oneMessageWithoutKey,
    requireJson,
    jsonBody(limits.maxBodyBytes),
    async (req, res) => {
      const locals = res.locals as Locals;
      const result = checkSenderId(locals.client, validateSmsRequest(req.body, limits));
      if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.field);
      const { id } = await acceptMessage({
        client: locals.client,
        requestId: locals.requestId,
        request: result.value,
        ...(locals.trace && { trace: locals.trace }),
      });
      locals.messageIds = [id];
      // Kaarai's body has no id; the gateway's status route is named here for those who want it.
      res.location(`/v1/sms/${id}`);
      send(res, QUEUED_ANSWER);
    },
  );

  router.use(() => {
    throw new ApiError(4040);
  });

  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const locals = res.locals as Partial<Locals>;
    const apiError = toApiError(error);
    if (apiError.code === 5000) {
      logger.error({ err: error, requestId: locals.requestId ?? randomUUID() }, 'unexpected error');
    }
    if (apiError.retryAfterSeconds !== undefined) {
      res.setHeader('Retry-After', String(apiError.retryAfterSeconds));
    }
    send(
      res,
      kaaraiAnswerFor(apiError, {
        contentDetail: apiError.code === 4000 ? (req.get('content-type') ?? '') : apiError.message,
        user: userDetail(basicCredentials(req.get('authorization') ?? '')?.user ?? '', apiError),
      }),
    );
  });

  return router;
}

// Kaarai's 4030 is the nearest answer to a sender id the client may not use (gateway 4032): the
// user is not authorised for that request, and a client that follows the document holds its
// sending until someone fixes its settings. What it was not authorised for follows the user.
function userDetail(user: string, error: ApiError): string {
  return error.code === 4032 ? `${user} (${error.message})` : user;
}

function send(res: Response, answer: KaaraiAnswer): void {
  (res.locals as Partial<Locals>).code = answer.body.code;
  res.status(answer.httpStatus).json(answer.body);
}

/**
 * Kaarai's credentials for a client: its name as the user and its API key as the password. Both
 * must match, as Kaarai checks a user/password pair; compared in constant time like the keys.
 */
function createKaaraiAuthenticator(apiKeys: ReadonlyMap<string, string>) {
  const match = createSecretMatcher(
    new Map([...apiKeys].map(([key, client]) => [`${client}:${key}`, client])),
  );
  return (authorization: string | undefined): string => {
    const credentials = basicCredentials(authorization ?? '');
    const client = credentials && match(`${credentials.user}:${credentials.password}`);
    if (client === undefined) throw new ApiError(4030, 'the user or password is not valid');
    return client;
  };
}
