import { randomUUID } from 'node:crypto';
import { redisKeyPrefix } from '@sms/config';
import type { SmsJobData, SmsPriority } from '@sms/contracts';
import { messageJobOptions, SEND_JOB, SMS_QUEUE, sendJobOptions } from '@sms/queue';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';

const CHUNK = 1_000;
// Chunks in flight at once: enough to keep Redis busy without holding the whole backlog in memory.
const PARALLEL_CHUNKS = 4;
// The API's default SEND_ATTEMPTS.
const SEND_ATTEMPTS = 8;

/**
 * The job of message `i` as the API would enqueue it (`services/api/src/create-app.ts`): the same
 * fields, a typical one-time-password text, an id of the same form, the same job options; only
 * `expiresAt` is 48 h away so that no message of a long benchmark expires.
 */
export function apiShapedJob(i: number, label: string, now = Date.now(), priority: SmsPriority = 'normal') {
  const data: SmsJobData = {
    to: '573001234567',
    text: `${label} #${i}: your verification code is 482913`,
    client: 'bench',
    acceptedAt: now,
    expiresAt: now + 48 * 3_600_000,
    requestId: randomUUID(),
    ...(priority !== 'normal' && { priority }),
  };
  return {
    name: SEND_JOB,
    data,
    opts: {
      ...sendJobOptions({ attempts: SEND_ATTEMPTS }),
      ...messageJobOptions(data, now),
      jobId: randomUUID(),
    },
  };
}

/**
 * Adds `count` API-shaped send jobs of `priority`, with `Queue.addBulk` in chunks, to the send
 * queue of the gateway processes started with `QUEUE_PREFIX=prefix`.
 */
export async function fillBacklog(
  connection: Redis,
  prefix: string,
  count: number,
  label: string,
  priority: SmsPriority = 'normal',
): Promise<void> {
  const queue = new Queue<SmsJobData>(SMS_QUEUE, { connection, prefix: redisKeyPrefix(prefix) });
  try {
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const from = next;
        next = Math.min(count, next + CHUNK);
        const jobs = [];
        for (let i = from; i < next; i++) jobs.push(apiShapedJob(i, label, Date.now(), priority));
        await queue.addBulk(jobs);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_CHUNKS }, lane));
  } finally {
    await queue.close();
  }
}
