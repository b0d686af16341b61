import type { ApiMetrics } from '@sms/metrics';
import type { SmsJobToAdd } from '@sms/queue';
import type { ReferenceIndex } from '@sms/status-store';

export interface AcceptanceRecordDeps {
  /** Where a message with a `reference` is found by it (`GET /v1/sms?reference=`). */
  readonly referenceIndex: Pick<ReferenceIndex, 'add'>;
  readonly metrics: Pick<ApiMetrics, 'accepted'>;
}

/**
 * What is recorded about accepted messages besides their jobs, the same for one message and
 * for a batch:
 * - `besideJobs`: each message's entry in its client's reference index, to be sent with the
 *   jobs so that both share one round trip. An entry whose job failed names no message, and a
 *   reader skips it, so the entries need not wait for the jobs;
 * - `accepted`: the count of accepted messages by client and priority, once Redis holds the
 *   jobs, and only for the request that accepted them (not for a repeat).
 */
export function recordAcceptance(deps: AcceptanceRecordDeps) {
  return {
    besideJobs: (client: string, jobs: readonly SmsJobToAdd[]): Promise<unknown> =>
      Promise.all(
        jobs.map(
          ({ id, data }) =>
            data.reference !== undefined && deps.referenceIndex.add(client, data.reference, id, data),
        ),
      ),
    accepted: (client: string, jobs: readonly SmsJobToAdd[]): void => {
      for (const { data } of jobs) deps.metrics.accepted.inc({ client, priority: data.priority ?? 'normal' });
    },
  };
}
