import { randomUUID } from 'node:crypto';
import { maskNumber, type SmsJobData, type SmsRequest } from '@sms/contracts';
import type { ApiMetrics } from '@sms/metrics';
import { enqueueSms, NotReplicatedError, type ReplicaAcknowledgement, type SmsQueue } from '@sms/queue';
import type { StatusStore } from '@sms/status-store';
import type { Logger } from 'pino';
import { ApiError } from './api-error';
import { acceptOnce, type IdempotencyStore, requestHash } from './idempotency';
import { withTimeout } from './with-timeout';

export interface AcceptSettings {
  /** Validity of a message without `validFor`, in seconds. */
  readonly defaultValiditySeconds: number;
  readonly sendAttempts: number;
  /** Longest wait for Redis within a request before answering 503, in ms. */
  readonly redisTimeoutMs: number;
}

export interface AcceptDeps {
  readonly config: AcceptSettings;
  readonly queue: SmsQueue;
  readonly statusStore: Pick<StatusStore, 'read'>;
  readonly idempotencyStore: IdempotencyStore;
  /** With REDIS_WAIT_REPLICAS: the queue on a connection of its own, and the WAIT around adds. */
  readonly replication?: { readonly queue: SmsQueue; readonly acknowledgement: ReplicaAcknowledgement };
  readonly metrics: Pick<ApiMetrics, 'accepted'>;
  readonly logger: Logger;
}

/** One validated message to accept, with who sent it. */
export interface MessageToAccept {
  readonly client: string;
  readonly requestId: string;
  readonly request: SmsRequest;
  readonly idempotencyKey?: string;
}

export interface Acceptance {
  readonly id: string;
  /** True when an earlier request with the same Idempotency-Key had accepted it. */
  readonly replayed: boolean;
}

/** Seconds a caller should wait after a 503 before trying again. */
export const RETRY_AFTER_SECONDS = 5;

export const redisUnavailable = () =>
  new ApiError(5030, 'the message store is unavailable', undefined, RETRY_AFTER_SECONDS);

// The primary holds the message, so it may well be sent: only a retry with the same key is
// sure not to make a second one.
const notReplicated = (error: NotReplicatedError) =>
  new ApiError(
    5030,
    `the message store could not confirm a copy on ${error.required} replica(s) in time, so the message may or may not be sent: retry with the same Idempotency-Key`,
    undefined,
    RETRY_AFTER_SECONDS,
  );

/** The job a message becomes, as the worker reads it. */
export function jobDataOf(
  message: MessageToAccept,
  settings: Pick<AcceptSettings, 'defaultValiditySeconds'>,
  acceptedAt: number,
): SmsJobData {
  const { validFor = settings.defaultValiditySeconds, ...sms } = message.request;
  return {
    ...sms,
    client: message.client,
    acceptedAt,
    expiresAt: acceptedAt + validFor * 1000,
    requestId: message.requestId,
  };
}

/**
 * Accepts a validated message: resolves with its id only once Redis holds its job (and, with
 * REDIS_WAIT_REPLICAS, enough replicas do), at most once per client and Idempotency-Key.
 * Every route that takes messages goes through here; failures are `ApiError`s (5030).
 */
export function createAcceptMessage(deps: AcceptDeps) {
  const { config, logger, metrics, replication } = deps;
  const inTime = <T>(work: Promise<T>) => withTimeout(work, config.redisTimeoutMs, redisUnavailable);

  return async (message: MessageToAccept): Promise<Acceptance> => {
    const { client, requestId, idempotencyKey } = message;
    const data = jobDataOf(message, config, Date.now());
    const enqueue = (id: string) =>
      replication
        ? replication.acknowledgement.around(() =>
            enqueueSms(replication.queue, id, data, { attempts: config.sendAttempts }),
          )
        : enqueueSms(deps.queue, id, data, { attempts: config.sendAttempts });
    let accepted: Acceptance;
    try {
      // Without the header nothing is remembered, and accepting costs a single Redis call.
      if (idempotencyKey === undefined) {
        const id = randomUUID();
        await inTime(enqueue(id));
        accepted = { id, replayed: false };
      } else {
        const request = { client, idempotencyKey, requestHash: requestHash(message.request) };
        accepted = await inTime(acceptOnce(deps, request, enqueue));
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (error instanceof NotReplicatedError) {
        logger.warn({ err: error, requestId }, 'message not confirmed by Redis replicas');
        throw notReplicated(error);
      }
      logger.error({ err: error, requestId }, 'enqueue failed');
      throw redisUnavailable();
    }
    if (!accepted.replayed) metrics.accepted.inc({ client });
    // The line that joins this request to the worker's lines about the message; never the text.
    logger.info(
      { messageId: accepted.id, requestId, client, to: maskNumber(data.to), replayed: accepted.replayed },
      accepted.replayed ? 'repeated request answered with the message already accepted' : 'message accepted',
    );
    return accepted;
  };
}
