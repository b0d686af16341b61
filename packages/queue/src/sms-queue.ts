import type { SmsJobData } from '@sms/contracts';
import { Queue } from 'bullmq';
import { jobOptionsOf } from './job-options-of';
import { SEND_JOB, SMS_QUEUE } from './queue-names';
import type { RedisConnection } from './redis-connections';
import type { SendJobSettings } from './send-job-options';

export type SmsQueue = Queue<SmsJobData>;

export interface QueueSetup {
  readonly connection: RedisConnection;
  /**
   * Key prefix of every BullMQ key, so that several gateways (or tests) can share a Redis; a
   * gateway's is `redisKeyPrefix(QUEUE_PREFIX)` (`@sms/config`), in braces for Redis Cluster.
   */
  readonly prefix: string;
}

export function createSmsQueue(setup: QueueSetup): SmsQueue {
  return new Queue<SmsJobData>(SMS_QUEUE, { connection: setup.connection, prefix: setup.prefix });
}

/**
 * Adds a message to the send queue, in the place its priority gives it and delayed until its
 * `sendAt`; resolves only once Redis holds the job.
 */
export async function enqueueSms(
  queue: SmsQueue,
  id: string,
  data: SmsJobData,
  settings: SendJobSettings,
): Promise<void> {
  await queue.add(SEND_JOB, data, jobOptionsOf(id, data, settings));
}
