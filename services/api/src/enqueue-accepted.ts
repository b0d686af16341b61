import {
  enqueueSms,
  enqueueSmsBulk,
  type ReplicaAcknowledgement,
  type SendJobSettings,
  type SmsJobToAdd,
  type SmsQueue,
} from '@sms/queue';
import type { recordAcceptance } from './record-acceptance';

export interface EnqueueAcceptedDeps {
  readonly config: { readonly sendAttempts: number };
  readonly queue: SmsQueue;
  /** With REDIS_WAIT_REPLICAS: the queue on a connection of its own, and the WAIT around adds. */
  readonly replication?: { readonly queue: SmsQueue; readonly acknowledgement: ReplicaAcknowledgement };
  readonly records: Pick<ReturnType<typeof recordAcceptance>, 'besideJobs'>;
}

/**
 * Adds the send jobs of accepted messages, with the same settings and the same WAIT for one
 * message (`one`, a plain add) as for a batch (`many`, one bulk add), and sends what is recorded
 * beside them (`recordAcceptance`) together with them. Resolves once Redis holds it all.
 */
export function createEnqueueAccepted(deps: EnqueueAcceptedDeps) {
  const { replication, records } = deps;
  const settings: SendJobSettings = { attempts: deps.config.sendAttempts };
  const onQueue = (add: (queue: SmsQueue) => Promise<void>) =>
    replication ? replication.acknowledgement.around(() => add(replication.queue)) : add(deps.queue);
  const withRecords = async (client: string, jobs: readonly SmsJobToAdd[], added: Promise<void>) => {
    await Promise.all([added, records.besideJobs(client, jobs)]);
  };
  return {
    one: (client: string, job: SmsJobToAdd) =>
      withRecords(
        client,
        [job],
        onQueue((queue) => enqueueSms(queue, job.id, job.data, settings)),
      ),
    many: (client: string, jobs: readonly SmsJobToAdd[]) =>
      withRecords(
        client,
        jobs,
        onQueue((queue) => enqueueSmsBulk(queue, jobs, settings)),
      ),
  };
}
