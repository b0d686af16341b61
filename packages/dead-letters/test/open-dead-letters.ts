import { randomUUID } from 'node:crypto';
import {
  createDeadLetterQueue,
  createSmsQueue,
  type DeadLetterEntry,
  type DeadLetterReason,
  type RedisConnection,
} from '@sms/queue';
import { StatusStore } from '@sms/status-store';
import { DeadLetters } from '../src/dead-letters';

export interface OpenDeadLettersOptions {
  /** A fresh one per call unless given, so that each test sees only its own entries. */
  readonly prefix?: string;
  readonly sendAttempts?: number;
  readonly now?: () => number;
}

/**
 * One gateway's dead letters on `redis`, as the API and the command line open them: both queues,
 * the status store and `DeadLetters` over them. `close()` closes the queues (not `redis`).
 */
export function openDeadLetters(redis: RedisConnection, options: OpenDeadLettersOptions = {}) {
  const { prefix = `dl-${randomUUID().slice(0, 8)}`, sendAttempts = 3, now } = options;
  const deadLetterQueue = createDeadLetterQueue({ connection: redis, prefix });
  const smsQueue = createSmsQueue({ connection: redis, prefix });
  const statusStore = new StatusStore(redis, { prefix });
  const deadLetters = new DeadLetters({
    deadLetterQueue,
    smsQueue,
    statusStore,
    redis,
    prefix,
    sendAttempts,
    ...(now !== undefined && { now }),
  });
  const close = async () => {
    await Promise.all([deadLetterQueue.close(), smsQueue.close()]);
  };
  return { prefix, deadLetterQueue, smsQueue, statusStore, deadLetters, close };
}

/** A dead letter of Kaarai's 4031 with nothing else particular: only its time and reason matter. */
export function sampleEntry(deadLetteredAt: number, reason: DeadLetterReason = 'rejected'): DeadLetterEntry {
  return {
    to: '573001234567',
    text: 'hello',
    client: 'billing',
    acceptedAt: 1,
    reason,
    code: 4031,
    message: 'Not routable',
    attempts: 1,
    deadLetteredAt,
  };
}
