import type { Request, RequestHandler, Response } from 'express';
import type { CheckSenderId } from '../check-sender-id';
import { idempotencyKeyOf } from '../idempotency';
import { jsonBody, requireJson } from '../json-body';
import type { QuotaGuard } from '../quota/quota-guard';
import type { TracedLocals } from '../trace-request';
import type { createAcceptBatch } from './accept-batch';
import { NoValidMessageError } from './no-valid-message-error';
import { type BatchLimits, readBatch } from './read-batch';

export interface SendBatchDeps {
  readonly limits: BatchLimits & {
    /** Largest batch body, in bytes (MAX_BATCH_BODY_BYTES). */
    readonly maxBatchBodyBytes: number;
  };
  /** The limits of one client's messages (its callback allow-list). @defaultValue `limits` */
  readonly limitsOf?: (client: string) => BatchLimits;
  /** The client's sender id rule, per message (`createCheckSenderId`). @defaultValue any `from` */
  readonly checkSenderId?: CheckSenderId;
  readonly acceptBatch: ReturnType<typeof createAcceptBatch>;
  readonly quota: QuotaGuard;
}

interface Locals extends TracedLocals {
  readonly requestId: string;
}

/**
 * `POST /v1/sms/batch`, after authentication and the per-request quota: reads the body, judges
 * each message as `POST /v1/sms` does, takes the valid ones from the client's daily quota and
 * accepts them together. 202 when at least one is accepted, listing per message its id or its
 * refusal; 400 (4012) with the same list when none is valid.
 */
export function sendBatch(deps: SendBatchDeps): RequestHandler[] {
  const { limits, acceptBatch, quota } = deps;
  const handle = async (req: Request, res: Response) => {
    const locals = res.locals as Locals;
    const idempotencyKey = idempotencyKeyOf(req);
    const items = readBatch(req.body, deps.limitsOf?.(locals.client) ?? limits).map(
      (item) => deps.checkSenderId?.(locals.client, item) ?? item,
    );
    const refused = items.flatMap((item) => (item.ok ? [] : [{ error: item.error }]));
    if (refused.length === items.length) throw new NoValidMessageError(refused);
    const giveBack = await quota.takeMessages(res, items.length - refused.length, idempotencyKey);
    let answer: Awaited<ReturnType<typeof acceptBatch>>;
    try {
      answer = await acceptBatch({
        client: locals.client,
        requestId: locals.requestId,
        items,
        ...(idempotencyKey !== undefined && { idempotencyKey }),
        ...(locals.trace && { trace: locals.trace }),
      });
    } catch (error) {
      giveBack();
      throw error;
    }
    if (answer.replayed) {
      giveBack();
      res.setHeader('Idempotency-Replayed', 'true');
    }
    locals.code = 2020;
    locals.messageIds = answer.messages.flatMap((message) => ('id' in message ? [message.id] : []));
    const { replayed: _, ...body } = answer;
    res.status(202).json(body);
  };
  return [requireJson, jsonBody(limits.maxBatchBodyBytes), handle];
}
