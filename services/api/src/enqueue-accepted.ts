import {
  enqueueBeforeDeadline,
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
 * Adds the send jobs of accepted messages, one or a batch, in one script that Redis refuses
 * when it runs it after `deadline` (`enqueueBeforeDeadline`: then nothing is stored, and it
 * rejects with `DeadlinePassedError`), followed by the WAIT with REDIS_WAIT_REPLICAS; and sends
 * what is recorded beside them (`recordAcceptance`) together with them. Resolves once Redis
 * holds it all.
 */
export function createEnqueueAccepted(deps: EnqueueAcceptedDeps) {
  const { replication, records } = deps;
  const settings: SendJobSettings = { attempts: deps.config.sendAttempts };
  const onQueue = (add: (queue: SmsQueue) => Promise<void>) =>
    replication ? replication.acknowledgement.around(() => add(replication.queue)) : add(deps.queue);
  return async (client: string, jobs: readonly SmsJobToAdd[], deadline: number): Promise<void> => {
    await Promise.all([
      onQueue((queue) => enqueueBeforeDeadline(queue, jobs, settings, deadline)),
      records.besideJobs(client, jobs),
    ]);
  };
}
