import {
  type CallbackJobSettings,
  type CallbackQueue,
  type GivenUpCallbacks,
  parseGivenUpFilter,
  parseGivenUpPageRequest,
} from '@sms/callbacks';
import type { QueryResult } from '@sms/contracts';
import express from 'express';
import type { Logger } from 'pino';
import { adminBodyOf, readAdminBody } from './admin-body';
import { ApiError } from './api-error';

export interface GivenUpCallbackRouterDeps {
  readonly givenUp: Pick<GivenUpCallbacks, 'list' | 'show' | 'replay' | 'replayAll'>;
  /** Where a replayed callback's job is added, with the attempts of any other (CALLBACK_ATTEMPTS). */
  readonly queue: CallbackQueue;
  readonly job: CallbackJobSettings;
  /** Every replay is logged: it makes the receivers hear of a message again. */
  readonly logger: Pick<Logger, 'info'>;
}

/**
 * The operators' routes over status callbacks given up after CALLBACK_ATTEMPTS: list, show,
 * replay one, replay what a filter selects. A replay puts the event back at the tail of its
 * message's outbox, where the one job per message posts it, signed then with the client's
 * current secret. Meant to be mounted behind admin authentication, with an error handler that
 * answers `ApiError`s.
 */
export function createGivenUpCallbackRouter(deps: GivenUpCallbackRouterDeps): express.Router {
  const { givenUp, queue, job, logger } = deps;
  const router = express.Router();
  const readBody = readAdminBody();

  router.get('/callbacks', async (req, res) => {
    const request = orThrow(parseGivenUpPageRequest(req.query as Record<string, unknown>));
    res.json(await givenUp.list(request));
  });

  router.post('/callbacks/replay', readBody, async (req, res) => {
    // Replaying everything takes an explicit `{}`, never a missing body.
    if (req.body === undefined) {
      throw new ApiError(4007, 'send a JSON object with the filter; {} replays every given-up callback');
    }
    const fields = adminBodyOf(req.body, ['client', 'since', 'until']);
    const result = await givenUp.replayAll(orThrow(parseGivenUpFilter(fields)), queue, job);
    logger.info({ filter: fields, replayed: result.replayed.length }, 'given-up status callbacks replayed');
    res.json(result);
  });

  router.get('/callbacks/:id', async (req, res) => {
    const id = String(req.params.id);
    const details = await givenUp.show(id);
    if (!details) throw notGivenUp(id);
    res.json(details);
  });

  router.post('/callbacks/:id/replay', readBody, async (req, res) => {
    const id = String(req.params.id);
    adminBodyOf(req.body, []);
    const result = await givenUp.replay([id], queue, job);
    if (result.replayed.length === 0) throw notGivenUp(id);
    logger.info({ eventId: id }, 'given-up status callback replayed');
    res.json(result);
  });

  return router;
}

function notGivenUp(id: string): ApiError {
  return new ApiError(
    4043,
    `callback ${id.slice(0, 80)} is not a given-up callback (replayed already, past its retention, or unknown)`,
  );
}

function orThrow<T>(result: QueryResult<T>): T {
  if (!result.ok) throw new ApiError(4019, result.message, result.field);
  return result.value;
}
