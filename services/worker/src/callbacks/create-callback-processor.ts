import type { CallbackJobData, OutboxEntry } from '@sms/callbacks';
import {
  type CallbackClient,
  type CallbackOutbox,
  type CallbackQueue,
  type GivenUpCallbacks,
  scheduleCallbacks,
} from '@sms/callbacks';
import { type CallbackOrigin, isCallbackUrlAllowed } from '@sms/contracts';
import type { WorkerMetrics } from '@sms/metrics';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { CallbackDeliveryError } from './callback-errors';

export interface CallbackProcessorDeps {
  readonly outbox: CallbackOutbox;
  /** Where an event given up after its last attempt is kept for a replay. */
  readonly givenUp: Pick<GivenUpCallbacks, 'giveUp'>;
  /** Where the job for a message's next event is added. */
  readonly queue: CallbackQueue;
  readonly client: Pick<CallbackClient, 'post'>;
  /** Each client's allow-list (CALLBACK_ALLOWED_HOSTS), checked again before every post. */
  readonly allowedHosts: ReadonlyMap<string, readonly CallbackOrigin[]>;
  /** Each client's signing secret (CALLBACK_SECRETS). */
  readonly secrets: ReadonlyMap<string, string>;
  readonly metrics: Pick<WorkerMetrics, 'callbacks'>;
  readonly logger: Logger;
}

const statusClassOf = (status: number | undefined) =>
  status === undefined ? 'none' : `${Math.floor(status / 100)}xx`;
// The path and query of a callback URL may hold the client's own tokens: logs name the host only.
const hostOf = (url: string) => URL.parse(url)?.host ?? 'invalid';

/**
 * The BullMQ processor of the callback queue: posts the head event of one message's outbox.
 * Delivered, given up after its last attempt, or refused, the event leaves the outbox and the
 * job asks for a successor while events remain, so the next event is posted only after this one
 * is settled. A failed post throws, and BullMQ tries the same event again after its backoff.
 */
export function createCallbackProcessor(deps: CallbackProcessorDeps) {
  const { outbox, metrics, logger } = deps;

  return async (job: Job<CallbackJobData>): Promise<void> => {
    const { messageId } = job.data;
    const entry = await outbox.head(messageId);
    if (!entry) return;
    const { pending, event } = entry;
    const { client } = pending;
    const attempt = job.attemptsMade + 1;
    const attempts = job.opts.attempts ?? 1;
    const log = logger.child({ messageId, eventId: event.id, status: event.status, attempt, client });
    const next = async (left: number) => {
      if (left > 0) await scheduleCallbacks(deps.queue, job.data, { attempts });
    };
    const settle = async (done: OutboxEntry) => next(await outbox.remove(messageId, done));

    const secret = deps.secrets.get(client);
    // Checked again here: the allow-list may have shrunk since the event was queued.
    if (secret === undefined || !isCallbackUrlAllowed(pending.url, deps.allowedHosts.get(client) ?? [])) {
      metrics.callbacks.inc({ outcome: 'refused', status_class: 'none', client });
      log.error(
        { host: hostOf(pending.url) },
        "status callback refused: its host is not on the client's allow-list, or the client has no secret",
      );
      await settle(entry);
      return;
    }

    const result = await deps.client.post(pending.url, JSON.stringify(event), event.id, secret);
    const statusClass = statusClassOf(result.status);
    if (result.ok) {
      metrics.callbacks.inc({ outcome: 'delivered', status_class: statusClass, client });
      await settle(entry);
      return;
    }
    if (attempt < attempts) {
      metrics.callbacks.inc({ outcome: 'failed', status_class: statusClass, client });
      log.info({ host: hostOf(pending.url), reason: result.message }, 'status callback failed; will retry');
      throw new CallbackDeliveryError(result.message);
    }
    metrics.callbacks.inc({ outcome: 'given_up', status_class: statusClass, client });
    log.warn(
      { host: hostOf(pending.url), reason: result.message, attempts },
      'status callback given up and kept for a replay; the next event of the message follows',
    );
    await next(await deps.givenUp.giveUp(messageId, entry, { lastError: result.message, attempts }));
    // Failing the job for good keeps it in the callback queue's failed set too, as before.
    throw new CallbackDeliveryError(`given up after ${attempts} attempts: ${result.message}`);
  };
}
