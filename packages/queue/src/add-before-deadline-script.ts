import { addDelayedJob, addPrioritizedJob, addStandardJob } from 'bullmq/dist/cjs/scripts';
import { RedisScript } from './redis-script';

/** BullMQ's scripts that add a job, by name; a send job takes one of them, by its options. */
export const ADD_SCRIPTS = new Map(
  [addStandardJob, addDelayedJob, addPrioritizedJob].map((script) => [script.name, script]),
);

/** The queue keys (BullMQ's `queue.keys` names) that the add scripts take, in the order passed. */
export const ADD_SCRIPT_KEYS = [
  'wait',
  // No job state in BullMQ 6, but still KEYS[2] of its addStandardJob (which no longer uses it).
  'paused',
  'meta',
  'id',
  'completed',
  'delayed',
  'active',
  'events',
  'marker',
  'prioritized',
  'pc',
] as const;

/** Redis' answer, as an error, to adds it refused: `${DEADLINE_PASSED} <jobs missing>`. */
export const DEADLINE_PASSED = 'SMS_DEADLINE_PASSED';

// BullMQ's add scripts, each wrapped in a function whose parameters stand for its KEYS and ARGV,
// run by one script that first reads Redis' own clock: past the deadline, and with a job not yet
// in Redis, it adds nothing. One script, so all the jobs are added or none, atomically, in one
// round trip.
//   KEYS     the queue keys of ADD_SCRIPT_KEYS
//   ARGV[1]  the deadline, in ms since the epoch
//   ARGV[2]  the queue's key prefix, to which a job's id appends its key (`queue.toKey(id)`)
//   then per job: its add script's name, its id, the positions of its keys in KEYS (as
//            "1,2,3"), and BullMQ's three arguments (packed arguments, data, packed options)
// Returns each job's id as BullMQ's add returns it (a negative number is BullMQ's refusal).
const LUA = `
local addScripts = {}
${[...ADD_SCRIPTS.values()]
  .map((script) => `addScripts['${script.name}'] = function(KEYS, ARGV)\n${script.content}\nend`)
  .join('\n')}
local jobs = {}
local i = 3
while i <= #ARGV do
  local add = addScripts[ARGV[i]]
  if not add then return redis.error_reply('no add script named ' .. ARGV[i]) end
  local keys = {}
  for position in string.gmatch(ARGV[i + 2], '%d+') do keys[#keys + 1] = KEYS[tonumber(position)] end
  jobs[#jobs + 1] = { add = add, id = ARGV[i + 1], keys = keys, args = { ARGV[i + 3], ARGV[i + 4], ARGV[i + 5] } }
  i = i + 6
end
local time = redis.call('TIME')
if tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) > tonumber(ARGV[1]) then
  local missing = 0
  for _, job in ipairs(jobs) do
    if redis.call('EXISTS', ARGV[2] .. job.id) == 0 then missing = missing + 1 end
  end
  if missing > 0 then return redis.error_reply('${DEADLINE_PASSED} ' .. missing) end
end
local ids = {}
for j, job in ipairs(jobs) do ids[j] = job.add(job.keys, job.args) end
return ids`;

/** Each job's id as BullMQ's add returns it; a negative number is BullMQ's refusal. */
export type AddedIds = readonly unknown[];

/**
 * The script, run on BullMQ's client of the queue: `keys` as ADD_SCRIPT_KEYS, `args` from
 * ARGV[1] (the deadline).
 */
export const ADD_BEFORE_DEADLINE = new RedisScript<readonly string[], readonly unknown[], AddedIds>({
  name: 'smsAddBeforeDeadline',
  lua: LUA,
  isReply: Array.isArray,
});
