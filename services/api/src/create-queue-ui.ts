import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { DeadLetterQueue, SmsQueue } from '@sms/queue';
import type express from 'express';

export interface QueueUiQueues {
  /** The send queue (`sms`). */
  readonly smsQueue: SmsQueue;
  /** The dead-letter queue (`sms-dead-letter`). */
  readonly deadLetterQueue: DeadLetterQueue;
}

/**
 * bull-board over the send and dead-letter queues: the page, its static files and its JSON API,
 * to be mounted at `basePath` (the page links its files and API under it). It checks no credentials: mount it behind admin authentication, since it
 * shows receivers and texts in full.
 *
 * Both queues are read-only (bull-board refuses changes on the server, not only in the page).
 * Replaying a dead letter must go through `@sms/dead-letters`, which sends it at most once;
 * retrying, adding or emptying from the UI would bypass that, and a browser that holds Basic
 * credentials sends them with any cross-site form too.
 */
export function createQueueUi(queues: QueueUiQueues, basePath: string): express.Express {
  const serverAdapter = new ExpressAdapter().setBasePath(basePath);
  createBullBoard({
    queues: [
      new BullMQAdapter(queues.smsQueue, {
        readOnlyMode: true,
        description: 'Messages waiting to be sent to Kaarai, or to be retried',
      }),
      new BullMQAdapter(queues.deadLetterQueue, {
        readOnlyMode: true,
        description: 'Messages set aside for an operator; replay them with /v1/admin/dead-letters or dlq',
      }),
    ],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'SMS gateway queues' } },
  });
  const app: express.Express = serverAdapter.getRouter();
  app.disable('x-powered-by');
  return app;
}
