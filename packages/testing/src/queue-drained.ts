import { type QueueJobCounts, queueJobCounts } from './queue-job-counts';
import { waitFor } from './wait-for';

/**
 * Waits until the BullMQ queue `queue` of the processes started with `QUEUE_PREFIX=prefix`
 * holds no job in any state: e.g. the send queue, once every message was taken to its end.
 */
export function queueDrained(
  redisUrl: string,
  prefix: string,
  queue: string,
  timeoutMs: number,
): Promise<QueueJobCounts> {
  return waitFor(
    async () => {
      const counts = await queueJobCounts(redisUrl, prefix, queue);
      return counts.total === 0 ? counts : undefined;
    },
    { timeoutMs, intervalMs: 200, description: `the queue ${queue} to drain` },
  );
}
