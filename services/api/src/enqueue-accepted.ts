import {
  enqueueGroupsBeforeDeadline,
  type ReplicaAcknowledgement,
  type SendJobSettings,
  type SmsJobGroup,
  type SmsJobToAdd,
  type SmsQueue,
} from '@sms/queue';
import { batchPerTick, type ItemOutcomes } from './batch-per-tick';
import type { recordAcceptance } from './record-acceptance';

export interface EnqueueAcceptedDeps {
  readonly config: { readonly sendAttempts: number };
  readonly queue: SmsQueue;
  /** With REDIS_WAIT_REPLICAS: the queue on a connection of its own, and the WAIT around adds. */
  readonly replication?: { readonly queue: SmsQueue; readonly acknowledgement: ReplicaAcknowledgement };
  readonly records: Pick<ReturnType<typeof recordAcceptance>, 'besideJobs'>;
}

/**
 * Adds the send jobs of accepted messages, one or a batch, whole or not at all, in a script that
 * Redis refuses when it runs it after `deadline` (`enqueueGroupsBeforeDeadline`: then nothing of
 * them is stored, and it rejects with `DeadlinePassedError`), followed by the WAIT with
 * REDIS_WAIT_REPLICAS; and sends what is recorded beside them (`recordAcceptance`) together with
 * them. Resolves once Redis holds it all.
 *
 * The adds of requests that arrive in the same turn of the event loop go to Redis together
 * (`batchPerTick`): one script and one WAIT for them all, each request's jobs still a group of
 * their own, with their own deadline, stored or refused apart from the others'.
 */
export function createEnqueueAccepted(deps: EnqueueAcceptedDeps) {
  const { replication, records } = deps;
  const settings: SendJobSettings = { attempts: deps.config.sendAttempts };
  const queue = replication?.queue ?? deps.queue;
  const add = (groups: readonly SmsJobGroup[]) => enqueueGroupsBeforeDeadline(queue, groups, settings);
  const addGroups = batchPerTick(replication ? addThenWait(add, replication.acknowledgement) : add);
  return async (client: string, jobs: readonly SmsJobToAdd[], deadline: number): Promise<void> => {
    await Promise.all([addGroups({ jobs, deadline }), records.besideJobs(client, jobs)]);
  };
}

// The WAIT follows the groups' adds: a group that failed keeps its own error (nothing of a group
// refused as late was stored, whatever the replicas say); the others fail with the WAIT's.
function addThenWait(
  add: (groups: readonly SmsJobGroup[]) => Promise<ItemOutcomes>,
  acknowledgement: ReplicaAcknowledgement,
) {
  return async (groups: readonly SmsJobGroup[]): Promise<ItemOutcomes> => {
    let outcomes: ItemOutcomes | undefined;
    try {
      await acknowledgement.around(async () => {
        outcomes = await add(groups);
      });
    } catch (error) {
      if (outcomes === undefined) throw error;
      return outcomes.map((outcome) => outcome ?? (error as Error));
    }
    return outcomes ?? [];
  };
}
