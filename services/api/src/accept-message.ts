import { randomUUID } from 'node:crypto';
import { ArchiveUnavailableError, type StatusLookup } from '@sms/archive';
import {
  type DeliveryMode,
  maskNumber,
  type SmsJobData,
  type SmsRequest,
  smsSegmentsOf,
} from '@sms/contracts';
import type { ApiMetrics } from '@sms/metrics';
import {
  DeadlinePassedError,
  mayHaveBeenWritten,
  NotReplicatedError,
  type ReplicaAcknowledgement,
  type SmsQueue,
} from '@sms/queue';
import type { Context, TraceCarrier, Tracer } from '@sms/tracing';
import type { Logger } from 'pino';
import { ApiError, RETRY_AFTER_SECONDS } from './api-error';
import { archiveUnavailable } from './archive-unavailable';
import { createEnqueueAccepted } from './enqueue-accepted';
import { createEnqueueInTime } from './enqueue-in-time';
import { startEnqueueSpan } from './enqueue-span';
import { acceptOnce, type IdempotencyStore, requestHash } from './idempotency';
import { type AcceptanceRecordDeps, recordAcceptance } from './record-acceptance';

export interface AcceptSettings {
  /** Validity of a message without `validFor`, in seconds. */
  readonly defaultValiditySeconds: number;
  readonly sendAttempts: number;
  /** Longest wait for Redis within a request before answering 503, in ms. */
  readonly redisTimeoutMs: number;
  /** Each client's delivery mode for messages that do not name one (CLIENT_DELIVERY_MODES). */
  readonly deliveryModes?: ReadonlyMap<string, DeliveryMode>;
}

export interface AcceptDeps extends AcceptanceRecordDeps {
  readonly config: AcceptSettings;
  readonly metrics: Pick<ApiMetrics, 'accepted' | 'lateEnqueues'>;
  readonly queue: SmsQueue;
  /** Whether a repeated request's message exists: Redis, then the archive. */
  readonly statusLookup: Pick<StatusLookup, 'read'>;
  readonly idempotencyStore: IdempotencyStore;
  /** With REDIS_WAIT_REPLICAS: the queue on a connection of its own, and the WAIT around adds. */
  readonly replication?: { readonly queue: SmsQueue; readonly acknowledgement: ReplicaAcknowledgement };
  readonly logger: Logger;
  /** Records each enqueue as a span (`startTracing`). @defaultValue none: no spans, and jobs carry no trace */
  readonly tracer?: Tracer;
}

/** One validated message to accept, with who sent it. */
export interface MessageToAccept {
  readonly client: string;
  readonly requestId: string;
  readonly request: SmsRequest;
  readonly idempotencyKey?: string;
  /** The request's span, parent of the enqueue's. @defaultValue none: the enqueue starts a trace */
  readonly trace?: Context;
}

export interface Acceptance {
  readonly id: string;
  /** True when an earlier request with the same Idempotency-Key had accepted it. */
  readonly replayed: boolean;
  /** The job as this request made it (a repeat's is the same but for its times). */
  readonly data: SmsJobData;
}

export const redisUnavailable = () =>
  new ApiError(5030, 'the message store is unavailable', undefined, RETRY_AFTER_SECONDS);

// Redis refuses an enqueue it runs after its deadline (enqueue-in-time.ts), so an enqueue's 503
// can say what a client without an Idempotency-Key needs to know: retrying makes no second message.
const notStored = () =>
  new ApiError(
    5030,
    'the message store is unavailable, and the message was not stored: retry later, with the same Idempotency-Key if you sent one',
    undefined,
    RETRY_AFTER_SECONDS,
  );

// The connection was lost with the write under way: Redis may have run it before it failed.
const mayBeStored = () =>
  new ApiError(
    5030,
    'the message store failed while taking the message, which may have been stored: retry with the same Idempotency-Key, or look it up by its reference',
    undefined,
    RETRY_AFTER_SECONDS,
  );

const refusedLate = () =>
  new ApiError(
    5030,
    'the message store was too slow, and refused the message: it was not stored and will not be sent; retry later',
    undefined,
    RETRY_AFTER_SECONDS,
  );

// The primary holds the message, so it may well be sent: only a retry with the same key is
// sure not to make a second one.
const notReplicated = (error: NotReplicatedError) =>
  new ApiError(
    5030,
    `the message store could not confirm a copy on ${error.required} replica(s) in time, so the message may or may not be sent: retry with the same Idempotency-Key`,
    undefined,
    RETRY_AFTER_SECONDS,
  );

/**
 * What the caller of a failed enqueue is told (5030), logged once here: a failed WAIT as a
 * warning, since the message is in Redis; an enqueue Redis refused as too late as a warning too
 * (Redis is slow, and nothing was stored); anything else as an error, telling the caller whether
 * Redis may have stored the message all the same.
 */
export function enqueueFailure(
  error: unknown,
  logger: Pick<Logger, 'warn' | 'error'>,
  requestId: string,
): ApiError {
  if (error instanceof ApiError) return error;
  // A repeated request could not learn whether its message exists: nothing was stored.
  if (error instanceof ArchiveUnavailableError) return archiveUnavailable();
  if (error instanceof NotReplicatedError) {
    logger.warn({ err: error, requestId }, 'message not confirmed by Redis replicas');
    return notReplicated(error);
  }
  if (error instanceof DeadlinePassedError) {
    logger.warn({ err: error, requestId }, 'enqueue refused by Redis: past its deadline');
    return refusedLate();
  }
  logger.error({ err: error, requestId }, 'enqueue failed');
  return mayHaveBeenWritten(error) ? mayBeStored() : notStored();
}

/** The enqueue deadline and timer of `createAcceptMessage` and `createAcceptBatch`. */
export const enqueueInTimeOf = (deps: AcceptDeps) => createEnqueueInTime(deps, notStored);

/**
 * The job a message becomes, as the worker reads it. Its validity counts from `sendAt` when it
 * has one: a message scheduled for later is worth sending for as long after that time as one
 * sent at once; `normal`, the default priority, is left out; its encoding and SMS parts are
 * measured here, once, for the answers and the status record.
 */
export function jobDataOf(
  message: MessageToAccept,
  settings: Pick<AcceptSettings, 'defaultValiditySeconds' | 'deliveryModes'>,
  acceptedAt: number,
  trace: TraceCarrier = {},
): SmsJobData {
  const { validFor = settings.defaultValiditySeconds, priority, delivery, ...sms } = message.request;
  const mode = delivery ?? settings.deliveryModes?.get(message.client);
  const { encoding, segments } = smsSegmentsOf(sms.text);
  return {
    ...sms,
    ...(priority !== undefined && priority !== 'normal' && { priority }),
    ...(mode === 'at-most-once' && { delivery: mode }),
    client: message.client,
    acceptedAt,
    expiresAt: (sms.sendAt ?? acceptedAt) + validFor * 1000,
    requestId: message.requestId,
    encoding,
    segments,
    ...trace,
  };
}

/**
 * Accepts a validated message: resolves with its id only once Redis holds its job (and, with
 * REDIS_WAIT_REPLICAS, enough replicas do), at most once per client and Idempotency-Key.
 * Every route that takes messages goes through here; failures are `ApiError`s (5030).
 */
export function createAcceptMessage(deps: AcceptDeps) {
  const { config, logger } = deps;
  const inTime = enqueueInTimeOf(deps);
  const records = recordAcceptance(deps);
  const enqueueAccepted = createEnqueueAccepted({ ...deps, records });

  return async (message: MessageToAccept): Promise<Acceptance> => {
    const { client, requestId, idempotencyKey } = message;
    const span = startEnqueueSpan(deps.tracer, client, message.trace);
    const data = jobDataOf(message, config, Date.now(), span.carrier);
    let accepted: Omit<Acceptance, 'data'>;
    try {
      accepted = await inTime(requestId, async (deadline) => {
        const enqueue = (id: string) => enqueueAccepted(client, [{ id, data }], deadline);
        // Without the header nothing is remembered, and accepting costs one round trip to Redis.
        if (idempotencyKey === undefined) {
          const id = randomUUID();
          await enqueue(id);
          return { id, replayed: false };
        }
        const request = { client, idempotencyKey, requestHash: requestHash(message.request) };
        return acceptOnce(deps, request, enqueue);
      });
    } catch (error) {
      const failure = enqueueFailure(error, logger, requestId);
      span.failed(failure);
      throw failure;
    }
    span.accepted(accepted.id);
    if (!accepted.replayed) records.accepted(client, [{ id: accepted.id, data }]);
    // The line that joins this request to the worker's lines about the message; never the text.
    logger.info(
      { messageId: accepted.id, requestId, client, to: maskNumber(data.to), replayed: accepted.replayed },
      accepted.replayed ? 'repeated request answered with the message already accepted' : 'message accepted',
    );
    return { ...accepted, data };
  };
}
