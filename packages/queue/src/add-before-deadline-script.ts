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

// BullMQ's add scripts, each wrapped in a function whose parameters stand for its KEYS and ARGV,
// run by one script that adds groups of jobs (one group per request, from requests that arrived
// together), each with its own deadline, after reading Redis' own clock once: past a group's
// deadline, and with one of its jobs not yet in Redis, it adds none of that group. So each group
// is added whole or not at all, atomically, and a group refused as late leaves the others as
// they would have been alone, in one round trip for them all.
//   KEYS     the queue keys of ADD_SCRIPT_KEYS
//   ARGV[1]  the queue's key prefix, to which a job's id appends its key (`queue.toKey(id)`)
//   then per group: its deadline, in ms since the epoch, and its number of jobs; then per job:
//            its add script's name, its id, the positions of its keys in KEYS (as "1,2,3"), and
//            BullMQ's three arguments (packed arguments, data, packed options)
// Returns per group either the number of its jobs that were missing when Redis refused it as
// late, or each job's id as BullMQ's add returns it (a negative number is BullMQ's refusal).
const LUA = `
local addScripts = {}
${[...ADD_SCRIPTS.values()]
  .map((script) => `addScripts['${script.name}'] = function(KEYS, ARGV)\n${script.content}\nend`)
  .join('\n')}
local groups = {}
local i = 2
while i <= #ARGV do
  local group = { deadline = tonumber(ARGV[i]), jobs = {} }
  local count = tonumber(ARGV[i + 1])
  i = i + 2
  for _ = 1, count do
    local add = addScripts[ARGV[i]]
    if not add then return redis.error_reply('no add script named ' .. ARGV[i]) end
    local keys = {}
    for position in string.gmatch(ARGV[i + 2], '%d+') do keys[#keys + 1] = KEYS[tonumber(position)] end
    group.jobs[#group.jobs + 1] = { add = add, id = ARGV[i + 1], keys = keys, args = { ARGV[i + 3], ARGV[i + 4], ARGV[i + 5] } }
    i = i + 6
  end
  groups[#groups + 1] = group
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local replies = {}
for g, group in ipairs(groups) do
  local missing = 0
  if now > group.deadline then
    for _, job in ipairs(group.jobs) do
      if redis.call('EXISTS', ARGV[1] .. job.id) == 0 then missing = missing + 1 end
    end
  end
  if missing > 0 then
    replies[g] = missing
  else
    local ids = {}
    for j, job in ipairs(group.jobs) do ids[j] = job.add(job.keys, job.args) end
    replies[g] = ids
  end
end
return replies`;

/**
 * Per group, the number of its jobs missing when Redis refused it as late, or each job's id as
 * BullMQ's add returns it (a negative number is BullMQ's refusal).
 */
export type GroupReplies = readonly (number | readonly unknown[])[];

/**
 * The script, run on BullMQ's client of the queue: `keys` as ADD_SCRIPT_KEYS, `args` from
 * ARGV[1] (the key prefix).
 */
export const ADD_BEFORE_DEADLINE = new RedisScript<readonly string[], readonly unknown[], GroupReplies>({
  name: 'smsAddBeforeDeadline',
  lua: LUA,
  isReply: Array.isArray,
});
