import type { JobLock } from '@sms/status-store';
import type { Job } from 'bullmq';

/**
 * The BullMQ lock a worker holds while it processes `job` with `token`: BullMQ keeps it at
 * `<queue key>:<job id>:lock` (scripts' `removeLock`, `extendLock`), holding the token.
 */
export function jobLockOf(job: Pick<Job, 'queueQualifiedName' | 'id'>, token: string): JobLock {
  return { key: `${job.queueQualifiedName}:${job.id}:lock`, token };
}
