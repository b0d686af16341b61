import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { CallbackQueue } from '@sms/callbacks';
import type { DeadLetterQueue, SmsQueue } from '@sms/queue';
import express, { type NextFunction, type Request, type Response } from 'express';
import { maskQueuedMessage } from './mask-queued-message';

export interface QueueUiQueues {
  /** The send queue (`sms`). */
  readonly smsQueue: SmsQueue;
  /** The dead-letter queue (`sms-dead-letter`). */
  readonly deadLetterQueue: DeadLetterQueue;
  /** The status callback queue (`callbacks`). */
  readonly callbackQueue: CallbackQueue;
}

export interface QueueUiOptions {
  /** Show receivers, numeric senders and texts in full (QUEUE_UI_SHOW_MESSAGES). @defaultValue false */
  readonly showMessages?: boolean;
}

/**
 * The page must work offline and tell no third party who opens it: only this origin, plus the
 * inline styles and `data:` images the page's own scripts make. bull-board runs no inline
 * script (its `__UI_CONFIG__` block is JSON, which a policy does not govern) and no `eval`.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// bull-board's page links IBM Plex from fonts.googleapis.com; its stylesheet already falls back
// to system-ui and ui-monospace, so dropping the link costs only the typeface. Any <link> to
// another host is dropped, so that a new one in a later version is not fetched either.
const LINK_TO_ANOTHER_HOST = /<link\b[^>]*\bhref=["']?(?:https?:)?\/\/[^>]*>\s*/gi;

/** Renders bull-board's page as it would, less its links to other hosts. */
function withoutLinksToOtherHosts(_req: Request, res: Response, next: NextFunction): void {
  const render = res.render.bind(res);
  res.render = ((view: string, options?: object) => {
    render(view, options ?? {}, (error: Error | null, html: string) => {
      if (error) next(error);
      else res.type('html').send(html.replace(LINK_TO_ANOTHER_HOST, ''));
    });
  }) as Response['render'];
  next();
}

// Nothing consumes the dead-letter queue: a dead letter waits for an operator, and a replay goes
// through `@sms/dead-letters`. bull-board would flag it "No workers", a false alarm next to the
// send and callback queues, where that badge is a real one. `null` is bull-board's "cannot tell",
// for which it shows no badge; the worker list is then left out of the queue's info panel too.
class QueueWithoutWorkers extends BullMQAdapter {
  override async getWorkers(): Promise<null> {
    return null;
  }
}

/**
 * bull-board over the send, dead-letter and callback queues: the page, its static files and its
 * JSON API, to be mounted at `basePath` (the page links its files and API under it). It checks no
 * credentials: mount it behind admin authentication.
 *
 * Receivers (and senders that are numbers) are masked and texts hidden, in the page and in the
 * JSON API alike, unless `showMessages` is set (`maskQueuedMessage`).
 *
 * Every queue is read-only (bull-board refuses changes on the server, not only in the page).
 * Replaying a dead letter must go through `@sms/dead-letters`, which sends it at most once;
 * retrying, adding or emptying from the UI would bypass that, and a browser that holds Basic
 * credentials sends them with any cross-site form too.
 */
export function createQueueUi(
  queues: QueueUiQueues,
  basePath: string,
  options: QueueUiOptions = {},
): express.Express {
  const adapters = [
    new BullMQAdapter(queues.smsQueue, {
      readOnlyMode: true,
      description: 'Messages waiting to be sent to Kaarai, or to be retried',
    }),
    new QueueWithoutWorkers(queues.deadLetterQueue, {
      readOnlyMode: true,
      description: 'Messages set aside for an operator; replay them with /v1/admin/dead-letters or dlq',
    }),
    new BullMQAdapter(queues.callbackQueue, {
      readOnlyMode: true,
      description: "Status changes waiting to be posted to clients' receivers, one job per message",
    }),
  ];
  if (!options.showMessages) {
    // bull-board applies these to every job it answers with: the queue listing, a job's own page.
    for (const adapter of adapters) {
      adapter.setFormatter('data', maskQueuedMessage);
      adapter.setFormatter('returnValue', maskQueuedMessage);
    }
  }
  const serverAdapter = new ExpressAdapter().setBasePath(basePath);
  createBullBoard({
    queues: adapters,
    serverAdapter,
    options: { uiConfig: { boardTitle: 'SMS gateway queues' } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    next();
  });
  const board = serverAdapter.getRouter();
  board.disable('x-powered-by');
  app.use(withoutLinksToOtherHosts, board);
  return app;
}
