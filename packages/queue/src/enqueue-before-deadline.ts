import type { SmsJobData } from '@sms/contracts';
import { Job, type JobsOptions, type RedisClient } from 'bullmq';
import {
  ADD_BEFORE_DEADLINE,
  ADD_SCRIPT_KEYS,
  ADD_SCRIPTS,
  type GroupReplies,
} from './add-before-deadline-script';
import { DeadlinePassedError } from './deadline-passed-error';
import { jobOptionsOf } from './job-options-of';
import { SEND_JOB } from './queue-names';
import type { SendJobSettings } from './send-job-options';
import type { SmsQueue } from './sms-queue';

/** One message to add: its id (the job id) and its job. */
export interface SmsJobToAdd {
  readonly id: string;
  readonly data: SmsJobData;
}

/** Jobs added together or not at all, refused when Redis runs their add after `deadline`. */
export interface SmsJobGroup {
  readonly jobs: readonly SmsJobToAdd[];
  /** In ms since the epoch, read on Redis' clock. */
  readonly deadline: number;
}

/**
 * Adds messages to the send queue, each with the options `enqueueSms` gives it, in one Redis
 * script that adds them all, or, when Redis runs it after `deadline` (ms since the epoch, read
 * on Redis' clock) and one of them is not in Redis yet, none: this then rejects with
 * `DeadlinePassedError`. A caller that stops waiting at some moment and passes a deadline before
 * it, by more than Redis' clock may lag its own and an answer may take to come back, knows that
 * an enqueue it gave up on stores nothing, however late Redis runs it (a Redis that was stopped,
 * a command that waited in a socket buffer, one that ioredis sent again after reconnecting).
 *
 * Jobs Redis already holds are left as they are, and count as added. Resolves once Redis holds
 * every job, in one round trip.
 */
export async function enqueueBeforeDeadline(
  queue: SmsQueue,
  jobs: readonly SmsJobToAdd[],
  settings: SendJobSettings,
  deadline: number,
): Promise<void> {
  if (jobs.length === 0) return;
  const [outcome] = await enqueueGroupsBeforeDeadline(queue, [{ jobs, deadline }], settings);
  if (outcome !== undefined) throw outcome;
}

/**
 * Adds groups of messages as `enqueueBeforeDeadline` adds one, all in one script and one round
 * trip, each group whole or not at all by its own deadline: a group refused as late, or one
 * BullMQ refused a job of, fails alone. Resolves with each group's outcome, in order: undefined
 * once Redis holds all its jobs, else its error (`DeadlinePassedError` when nothing of it was
 * stored); rejects when the script as a whole failed (Redis unreachable, a refused write).
 */
export async function enqueueGroupsBeforeDeadline(
  queue: SmsQueue,
  groups: readonly SmsJobGroup[],
  settings: SendJobSettings,
): Promise<(Error | undefined)[]> {
  const keys = ADD_SCRIPT_KEYS.map((name) => queue.keys[name]!);
  const now = Date.now();
  const outcomes: (Error | undefined)[] = groups.map(() => undefined);
  const args: unknown[] = [queue.toKey('')];
  const sent: number[] = [];
  groups.forEach(({ jobs, deadline }, g) => {
    // A job BullMQ cannot make (its data not JSON, options it refuses) fails its group alone.
    try {
      const adds = jobs.map((job) => addOf(queue, job, jobOptionsOf(job.id, job.data, settings, now), keys));
      args.push(deadline, jobs.length, ...adds.flat());
      sent.push(g);
    } catch (error) {
      outcomes[g] = error instanceof Error ? error : new Error(String(error));
    }
  });
  if (sent.length === 0) return outcomes;
  // BullMQ 6 reaches Redis through a backend; its raw client is the Redis backend's own.
  const client = await queue.getBackend().client;
  const replies = await ADD_BEFORE_DEADLINE.run(client, keys, args);
  sent.forEach((g, r) => {
    outcomes[g] = outcomeOf(groups[g]!, replies[r]);
  });
  return outcomes;
}

// A group's reply: the jobs missing when Redis refused it as late, or each job's id as BullMQ's
// add returned it, a negative number being its refusal.
function outcomeOf(
  { jobs, deadline }: SmsJobGroup,
  reply: GroupReplies[number] | undefined,
): Error | undefined {
  if (typeof reply === 'number') return new DeadlinePassedError(deadline, reply);
  const refused = reply?.findIndex((id) => typeof id === 'number' && id < 0) ?? -1;
  if (reply === undefined || refused >= 0) {
    const id = jobs[refused]?.id ?? '(none)';
    return new Error(`BullMQ refused to add job ${id} (code ${String(reply?.[refused])})`);
  }
  return undefined;
}

/**
 * One job's part of the script's arguments: BullMQ works out which add script the job takes,
 * with which keys and arguments (`Job.addJob`); its call is recorded here instead of sent.
 */
function addOf(
  queue: SmsQueue,
  { id, data }: SmsJobToAdd,
  options: JobsOptions,
  keys: readonly string[],
): unknown[] {
  // The id goes to the script on its own: a copy in the options would be stored in every job's
  // options too (some 45 bytes of each waiting message), and BullMQ reads a job's id from its key.
  const { jobId: _, ...stored } = options;
  const job = new Job<SmsJobData>(queue, SEND_JOB, data, { ...queue.jobsOpts, ...stored }, id);
  let call: { name: string; args: unknown[] } | undefined;
  const recorder = {
    runCommand: (name: string, args: unknown[]) => {
      call = { name, args };
      return Promise.resolve(id);
    },
  };
  // BullMQ makes the call before its first await, and what it does with the answer is moot here.
  job.addJob(recorder as unknown as RedisClient).catch(() => {});
  // BullMQ names its commands `<script>:<its version>`.
  const name = call?.name.split(':')[0] ?? '';
  const script = ADD_SCRIPTS.get(name);
  if (call === undefined || script === undefined)
    throw new Error(`BullMQ added job ${id} with ${name}, which is not an add script`);
  const positions = call.args
    .slice(0, script.keys)
    .map((key) => {
      const position = keys.indexOf(key as string) + 1;
      if (position === 0) throw new Error(`BullMQ's ${name} takes key ${String(key)}, not passed to it`);
      return position;
    })
    .join(',');
  return [name, id, positions, ...call.args.slice(script.keys)];
}
