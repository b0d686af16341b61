import type { CallbackJobData } from '@sms/callbacks';
import { CALLBACK_BACKOFF, CALLBACK_QUEUE, type RedisConnection } from '@sms/queue';
import { Worker } from 'bullmq';
import { type RetryDelaySettings, retryDelay } from '../retry-delay';
import { type CallbackProcessorDeps, createCallbackProcessor } from './create-callback-processor';

export interface CallbackWorkerOptions {
  /** A connection of its own: BullMQ's worker blocks on it. */
  readonly connection: RedisConnection;
  /** Key prefix of the queues: `redisKeyPrefix(QUEUE_PREFIX)` (`@sms/config`). */
  readonly prefix: string;
  /** Callbacks posted at the same time; at most one per message whatever this is. */
  readonly concurrency: number;
  readonly retry: RetryDelaySettings;
}

/**
 * A BullMQ worker for the callback queue, beside the send worker in the same process but on its
 * own queue, connection and concurrency: a slow or dead receiver holds up callbacks only, never
 * the sending of messages.
 */
export function createCallbackWorker(
  options: CallbackWorkerOptions,
  deps: CallbackProcessorDeps,
): Worker<CallbackJobData> {
  return new Worker<CallbackJobData>(CALLBACK_QUEUE, createCallbackProcessor(deps), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    settings: {
      backoffStrategy: (attemptsMade: number, type?: string) =>
        type === CALLBACK_BACKOFF ? retryDelay(attemptsMade, options.retry) : -1,
    },
  });
}
