import type { CallbackJobSettings, CallbackQueue, GivenUpCallbacks } from '@sms/callbacks';
import type { DeadLetters } from '@sms/dead-letters';
import express from 'express';
import type { Logger } from 'pino';
import { createDeadLetterRouter } from './dead-letter-routes';
import { createGivenUpCallbackRouter } from './given-up-callback-routes';

export interface AdminRouterDeps {
  readonly deadLetters: DeadLetters;
  readonly givenUpCallbacks: GivenUpCallbacks;
  readonly callbackQueue: CallbackQueue;
  readonly callbackJob: CallbackJobSettings;
  readonly logger: Pick<Logger, 'info'>;
}

/** Every operator route of `/v1/admin`: the dead letters and the given-up status callbacks. */
export function createAdminRouter(deps: AdminRouterDeps): express.Router {
  return express
    .Router()
    .use(createDeadLetterRouter({ deadLetters: deps.deadLetters, logger: deps.logger }))
    .use(
      createGivenUpCallbackRouter({
        givenUp: deps.givenUpCallbacks,
        queue: deps.callbackQueue,
        job: deps.callbackJob,
        logger: deps.logger,
      }),
    );
}
