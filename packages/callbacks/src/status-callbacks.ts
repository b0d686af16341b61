import type { CallbackStatus, SmsJobData } from '@sms/contracts';
import { withTimeout } from '@sms/queue';
import type { CallbackOutbox, PendingEvent } from './callback-outbox';
import { type CallbackJobSettings, type CallbackQueue, scheduleCallbacks } from './callback-queue';

/** What records a message's status change for its receiver; it never throws. */
export interface StatusEvents {
  emit(messageId: string, data: SmsJobData, status: CallbackStatus, code?: number): Promise<void>;
}

/** Events are not wanted: the gateway runs without callbacks. */
export const NO_STATUS_EVENTS: StatusEvents = { emit: async () => {} };

export interface StatusCallbacksDeps {
  readonly outbox: CallbackOutbox;
  readonly queue: CallbackQueue;
  readonly job: CallbackJobSettings;
  /** Each client's URL for messages without a `callbackUrl` (CALLBACK_DEFAULT_URLS). */
  readonly defaultUrls: ReadonlyMap<string, string>;
  /** Longest an `emit` may take before the caller goes on without it, in ms. */
  readonly timeoutMs: number;
  /** Told of each event that could not be queued in time (to count and log it). */
  readonly onFailure: (
    error: unknown,
    context: { messageId: string; client: string; status: string },
  ) => void;
  readonly now?: () => number;
}

class EnqueueTimeoutError extends Error {
  readonly code = 'CALLBACK_ENQUEUE_TIMEOUT';
  constructor(ms: number) {
    super(`the status callback was not queued within ${ms} ms`);
    this.name = this.constructor.name;
  }
}

/**
 * Queues status callbacks for the messages that have a receiver: their own `callbackUrl` or
 * their client's default. Delivery of the SMS comes first: an event that cannot be queued
 * within `timeoutMs` (Redis slow or away) is reported to `onFailure` and the caller goes on.
 */
export function createStatusCallbacks(deps: StatusCallbacksDeps): StatusEvents {
  const now = deps.now ?? Date.now;
  const record = async (messageId: string, pending: PendingEvent) => {
    await deps.outbox.push(messageId, pending);
    await scheduleCallbacks(deps.queue, { messageId, client: pending.client }, deps.job);
  };
  return {
    emit: async (messageId, data, status, code) => {
      const url = data.callbackUrl ?? deps.defaultUrls.get(data.client);
      if (url === undefined) return;
      const pending: PendingEvent = {
        client: data.client,
        url,
        status,
        ...(data.reference !== undefined && { reference: data.reference }),
        ...(code ? { code } : {}),
        at: now(),
      };
      try {
        await withTimeout(
          record(messageId, pending),
          deps.timeoutMs,
          () => new EnqueueTimeoutError(deps.timeoutMs),
        );
      } catch (error) {
        deps.onFailure(error, { messageId, client: data.client, status });
      }
    },
  };
}
