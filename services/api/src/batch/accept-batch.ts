import { randomUUID } from 'node:crypto';
import {
  type BatchAnswer,
  type BatchItemAnswer,
  maskNumber,
  type SmsRequest,
  type ValidationResult,
} from '@sms/contracts';
import type { SmsJobToAdd } from '@sms/queue';
import type { Context } from '@sms/tracing';
import { type AcceptDeps, enqueueFailure, enqueueInTimeOf, jobDataOf } from '../accept-message';
import { createEnqueueAccepted } from '../enqueue-accepted';
import { startEnqueueSpan } from '../enqueue-span';
import { acceptOnce } from '../idempotency';
import { acceptedView } from '../message-views';
import { recordAcceptance } from '../record-acceptance';
import { batchHash, batchMessageId } from './batch-ids';

/** A batch to accept: each message as validated, in the order of the request. */
export interface BatchToAccept {
  readonly client: string;
  readonly requestId: string;
  readonly items: readonly ValidationResult[];
  readonly idempotencyKey?: string;
  /** The request's span, parent of the batch's one enqueue span. @defaultValue none */
  readonly trace?: Context;
}

/** The batch's answer (`BatchAnswer`, per message its view or its refusal), and whether it is a repeat. */
export interface BatchAcceptance extends BatchAnswer {
  /** True when an earlier request with the same Idempotency-Key had accepted the batch. */
  readonly replayed: boolean;
}

interface ValidMessage {
  readonly index: number;
  readonly request: SmsRequest;
}

/**
 * Accepts the valid messages of a batch, in one Redis script (and one WAIT with
 * REDIS_WAIT_REPLICAS) that stores all of them or, when Redis runs it after its deadline, none,
 * resolving only once Redis holds them all. With an Idempotency-Key the batch is accepted at
 * most once: the key is claimed for a batch id, from which each message's id is made
 * (`batchMessageId`), so a repeat answers the same ids and adds only the messages that have no
 * status record yet: all of them after a first request cut off between its claim and its add,
 * or refused, and none already taken by a worker. Failures are `ApiError`s, 5030.
 */
export function createAcceptBatch(deps: AcceptDeps) {
  const { config, logger, statusLookup } = deps;
  const inTime = enqueueInTimeOf(deps);
  const records = recordAcceptance(deps);
  const enqueueAccepted = createEnqueueAccepted({ ...deps, records });
  const notYetTaken = async (jobs: readonly SmsJobToAdd[]) => {
    const statuses = await Promise.all(jobs.map((job) => statusLookup.read(job.id)));
    return jobs.filter((_, i) => statuses[i] === undefined);
  };

  return async (batch: BatchToAccept): Promise<BatchAcceptance> => {
    const { client, requestId, idempotencyKey } = batch;
    const valid: ValidMessage[] = [];
    batch.items.forEach((item, index) => {
      if (item.ok) valid.push({ index, request: item.value });
    });
    const acceptedAt = Date.now();
    // One enqueue span for the batch: every message's job carries its context.
    const span = startEnqueueSpan(deps.tracer, client, batch.trace);
    const jobsOf = (idOf: (index: number) => string): SmsJobToAdd[] =>
      valid.map(({ index, request }) => ({
        id: idOf(index),
        data: jobDataOf({ client, requestId, request }, config, acceptedAt, span.carrier),
      }));

    let jobs: SmsJobToAdd[];
    let replayed = false;
    try {
      if (idempotencyKey === undefined) {
        jobs = jobsOf(() => randomUUID());
        await inTime(requestId, (deadline) => enqueueAccepted(client, jobs, deadline));
      } else {
        const request = { client, idempotencyKey, requestHash: batchHash(batch.items) };
        const accepted = await inTime(requestId, (deadline) =>
          acceptOnce(deps, request, async (batchId, repeat) => {
            const claimed = jobsOf((index) => batchMessageId(batchId, index));
            await enqueueAccepted(client, repeat ? await notYetTaken(claimed) : claimed, deadline);
          }),
        );
        jobs = jobsOf((index) => batchMessageId(accepted.id, index));
        replayed = accepted.replayed;
      }
    } catch (error) {
      const failure = enqueueFailure(error, logger, requestId);
      span.failed(failure);
      throw failure;
    }
    span.accepted(jobs.map((job) => job.id));

    if (!replayed) records.accepted(client, jobs);
    // The lines that join this request to the worker's lines about each message; never the text.
    for (const { id, data } of jobs) {
      logger.info(
        { messageId: id, requestId, client, to: maskNumber(data.to), replayed, batch: true },
        replayed ? 'repeated request answered with the message already accepted' : 'message accepted',
      );
    }
    const views = new Map(valid.map(({ index }, i) => [index, acceptedView(jobs[i]!.id, jobs[i]!.data)]));
    const messages = batch.items.map(
      (item, index): BatchItemAnswer => (item.ok ? views.get(index)! : { error: item.error }),
    );
    return { accepted: valid.length, rejected: batch.items.length - valid.length, messages, replayed };
  };
}
