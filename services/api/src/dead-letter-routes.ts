import {
  type DeadLetters,
  parseDeadLetterFilter,
  parseDeadLetterPageRequest,
  parseValidFor,
  type QueryResult,
} from '@sms/dead-letters';
import express from 'express';
import type { Logger } from 'pino';
import { adminBodyOf as bodyOf, readAdminBody } from './admin-body';
import { ApiError } from './api-error';

export interface DeadLetterRouterDeps {
  readonly deadLetters: DeadLetters;
  /** Every replay and delete is logged: they change what reaches Kaarai. */
  readonly logger: Pick<Logger, 'info'>;
}

/**
 * The operators' routes over the dead-letter queue. They read their own JSON bodies (a body an
 * app has parsed already is left as it is) and expect an error handler that answers
 * `ApiError`s; they are meant to be mounted behind admin authentication, since they show
 * receivers and texts in full.
 */
export function createDeadLetterRouter(deps: DeadLetterRouterDeps): express.Router {
  const { deadLetters, logger } = deps;
  const router = express.Router();
  const readBody = readAdminBody();

  router.get('/dead-letters', async (req, res) => {
    const request = orThrow(parseDeadLetterPageRequest(req.query as Record<string, unknown>), 4010);
    res.json(await deadLetters.list(request));
  });

  // Before `/dead-letters/:id/replay` only for the reader's sake: the two never overlap.
  router.post('/dead-letters/replay', readBody, async (req, res) => {
    // Replaying everything takes an explicit `{}`, never a missing body.
    if (req.body === undefined) {
      throw new ApiError(4007, 'send a JSON object with the filter; {} replays every dead letter');
    }
    const { validFor, ...filterFields } = bodyOf(req.body, ['reason', 'since', 'until', 'validFor']);
    const filter = orThrow(parseDeadLetterFilter(filterFields), 4010);
    const seconds = orThrow(parseValidFor(validFor), 4009);
    const result = await deadLetters.replayAll(filter, seconds === undefined ? {} : { validFor: seconds });
    logger.info({ filter: filterFields, validFor: seconds, ...result }, 'dead letters replayed');
    res.json(result);
  });

  router.get('/dead-letters/:id', async (req, res) => {
    const id = String(req.params.id);
    const details = await deadLetters.show(id);
    if (!details) throw notInQueue(id);
    res.json(details);
  });

  router.post('/dead-letters/:id/replay', readBody, async (req, res) => {
    const id = String(req.params.id);
    const { validFor } = bodyOf(req.body, ['validFor']);
    const seconds = orThrow(parseValidFor(validFor), 4009);
    const result = await deadLetters.replay(id, seconds === undefined ? {} : { validFor: seconds });
    if (result.outcome === 'not_found') throw notInQueue(id);
    if (result.outcome === 'busy') {
      throw new ApiError(4090, `message ${id} is still being processed; replay it again in a moment`);
    }
    logger.info({ messageId: id, expiresAt: result.expiresAt }, 'dead letter replayed');
    res.json(result);
  });

  router.delete('/dead-letters/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!(await deadLetters.delete(id))) throw notInQueue(id);
    logger.info({ messageId: id }, 'dead letter deleted');
    res.status(204).end();
  });

  return router;
}

function notInQueue(id: string): ApiError {
  return new ApiError(4042, `message ${id.slice(0, 64)} is not in the dead-letter queue`);
}

function orThrow<T>(result: QueryResult<T>, code: 4009 | 4010): T {
  if (!result.ok) throw new ApiError(code, result.message, result.field);
  return result.value;
}
