import { randomUUID } from 'node:crypto';
import type { SmsJobData } from '@sms/contracts';
import { startRedis, type TestRedis } from '@sms/testing';
import type { Redis } from 'ioredis';
import { DeadlinePassedError } from './deadline-passed-error';
import {
  enqueueBeforeDeadline,
  enqueueGroupsBeforeDeadline,
  type SmsJobToAdd,
} from './enqueue-before-deadline';
import { createProducerConnection } from './redis-connections';
import { createSmsQueue, type SmsQueue } from './sms-queue';

let redis: TestRedis;
let connection: Redis;
let queue: SmsQueue;
let prefix: string;

beforeAll(async () => {
  redis = await startRedis();
  connection = createProducerConnection(redis.target);
  prefix = `{q${randomUUID().slice(0, 8)}}`;
  queue = createSmsQueue({ connection, prefix });
});
afterAll(async () => {
  await queue?.close();
  connection?.disconnect();
  await redis?.stop();
});

const settings = { attempts: 3 };
const jobsOf = (...ids: string[]): SmsJobToAdd[] =>
  ids.map((id) => ({
    id,
    data: { to: '573001234567', text: `text of ${id}`, client: 'billing', acceptedAt: Date.now() },
  }));
const newId = () => randomUUID();
const past = () => Date.now() - 1_000;
const ahead = () => Date.now() + 60_000;

/** Every key of the queue that names `id`: a job leaves its hash, and its place in a list or set. */
async function traces(id: string): Promise<string[]> {
  const keys = await connection.keys(`${prefix}:*${id}*`);
  const lists = await Promise.all(
    ['wait', 'prioritized', 'delayed'].map(async (state) => {
      const key = queue.toKey(state);
      const type = await connection.type(key);
      const members =
        type === 'list' ? await connection.lrange(key, 0, -1) : await connection.zrange(key, 0, -1);
      return members.includes(id) ? [key] : [];
    }),
  );
  return [...keys, ...lists.flat()];
}

it('stores nothing, and leaves no key, when Redis runs the add after its deadline', async () => {
  const [job] = jobsOf(newId());
  const error = await enqueueBeforeDeadline(queue, [job!], settings, past()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeadlinePassedError);
  expect(error).toMatchObject({ code: 'REDIS_DEADLINE_PASSED', refused: 1 });
  expect(await traces(job!.id)).toEqual([]);
});

it('stores a job that Redis adds before its deadline', async () => {
  const [job] = jobsOf(newId());
  await enqueueBeforeDeadline(queue, [job!], settings, ahead());
  const stored = await queue.getJob(job!.id);
  expect(stored?.data).toEqual(job!.data);
  expect(await stored?.getState()).toBe('waiting');
});

it('stores a job refused as late when its id is added again in time', async () => {
  const [job] = jobsOf(newId());
  await expect(enqueueBeforeDeadline(queue, [job!], settings, past())).rejects.toThrow(DeadlinePassedError);
  await enqueueBeforeDeadline(queue, [job!], settings, ahead());
  expect((await queue.getJob(job!.id))?.data).toEqual(job!.data);
});

it('adds a batch whole or not at all', async () => {
  const late = jobsOf(newId(), newId(), newId());
  await expect(enqueueBeforeDeadline(queue, late, settings, past())).rejects.toMatchObject({ refused: 3 });
  expect((await Promise.all(late.map(({ id }) => traces(id)))).flat()).toEqual([]);

  const inTime = jobsOf(newId(), newId(), newId());
  await enqueueBeforeDeadline(queue, inTime, settings, ahead());
  const stored = await Promise.all(inTime.map(({ id }) => queue.getJob(id)));
  expect(stored.map((job) => job?.data.text)).toEqual(inTime.map(({ data }) => data.text));
});

it('adds groups in one script, each whole or not at all by its own deadline', async () => {
  const late = jobsOf(newId(), newId());
  const inTime = jobsOf(newId(), newId());
  const outcomes = await enqueueGroupsBeforeDeadline(
    queue,
    [
      { jobs: inTime.slice(0, 1), deadline: ahead() },
      { jobs: late, deadline: past() },
      { jobs: inTime.slice(1), deadline: ahead() },
    ],
    settings,
  );
  expect(outcomes[0]).toBeUndefined();
  expect(outcomes[1]).toBeInstanceOf(DeadlinePassedError);
  expect(outcomes[1]).toMatchObject({ refused: 2 });
  expect(outcomes[2]).toBeUndefined();
  expect((await Promise.all(late.map(({ id }) => traces(id)))).flat()).toEqual([]);
  const stored = await Promise.all(inTime.map(({ id }) => queue.getJob(id)));
  expect(stored.map((job) => job?.data.text)).toEqual(inTime.map(({ data }) => data.text));
});

it('fails alone a group BullMQ cannot make a job of, and stores the others', async () => {
  const [first, last] = jobsOf(newId(), newId());
  const circular: Record<string, unknown> = { ...jobsOf(newId())[0]!.data };
  circular.self = circular;
  const outcomes = await enqueueGroupsBeforeDeadline(
    queue,
    [
      { jobs: [first!], deadline: ahead() },
      { jobs: [{ id: newId(), data: circular as unknown as SmsJobToAdd['data'] }], deadline: ahead() },
      { jobs: [last!], deadline: ahead() },
    ],
    settings,
  );
  expect(outcomes[0]).toBeUndefined();
  expect(outcomes[1]).toBeInstanceOf(TypeError);
  expect(outcomes[2]).toBeUndefined();
  expect((await queue.getJob(first!.id))?.data).toEqual(first!.data);
  expect((await queue.getJob(last!.id))?.data).toEqual(last!.data);
});

it('adds one job for two groups with the same id, the late one counting it as held', async () => {
  const [job] = jobsOf(newId());
  const outcomes = await enqueueGroupsBeforeDeadline(
    queue,
    [
      { jobs: [job!], deadline: ahead() },
      { jobs: [job!], deadline: ahead() },
      { jobs: [job!], deadline: past() },
    ],
    settings,
  );
  expect(outcomes).toEqual([undefined, undefined, undefined]);
  expect((await queue.getJobs(['wait'])).filter(({ id }) => id === job!.id)).toHaveLength(1);
});

it('leaves a job Redis already holds as it is, and refuses only the missing ones when late', async () => {
  const [held, missing] = jobsOf(newId(), newId());
  await enqueueBeforeDeadline(queue, [held!], settings, ahead());
  const changed: SmsJobToAdd = { id: held!.id, data: { ...held!.data, text: 'changed' } };
  await expect(enqueueBeforeDeadline(queue, [changed, missing!], settings, past())).rejects.toMatchObject({
    refused: 1,
  });
  expect((await queue.getJob(held!.id))?.data.text).toBe(held!.data.text);
  expect(await traces(missing!.id)).toEqual([]);
  // In time, a job already held counts as added and is not added twice.
  await enqueueBeforeDeadline(queue, [changed], settings, ahead());
  expect((await queue.getJob(held!.id))?.data.text).toBe(held!.data.text);
  expect(await queue.getWaitingCount()).toBeGreaterThan(0);
});

it('adds, and refuses, after Redis lost its scripts', async () => {
  await enqueueBeforeDeadline(queue, jobsOf(newId()), settings, ahead());
  await connection.script('FLUSH');
  const [inTime] = jobsOf(newId());
  await enqueueBeforeDeadline(queue, [inTime!], settings, ahead());
  expect(await queue.getJob(inTime!.id)).toBeDefined();

  await connection.script('FLUSH');
  const [late] = jobsOf(newId());
  await expect(enqueueBeforeDeadline(queue, [late!], settings, past())).rejects.toThrow(DeadlinePassedError);
  expect(await traces(late!.id)).toEqual([]);
});

it('places a message by its priority and sendAt, as enqueueSms does', async () => {
  const acceptedAt = Date.now();
  const data: SmsJobData = {
    to: '573001234567',
    text: 'later',
    client: 'billing',
    acceptedAt,
    sendAt: acceptedAt + 60_000,
  };
  const { sendAt: _, ...now } = data;
  const scheduled = { id: newId(), data };
  const bulk = { id: newId(), data: { ...now, priority: 'bulk' as const } };
  const high = { id: newId(), data: { ...now, priority: 'high' as const } };
  // Each takes another of BullMQ's add scripts: delayed, prioritized, standard (lifo).
  await enqueueBeforeDeadline(queue, [scheduled, bulk, high], settings, ahead());
  expect(await (await queue.getJob(scheduled.id))?.getState()).toBe('delayed');
  expect(await (await queue.getJob(bulk.id))?.getState()).toBe('prioritized');
  expect(await (await queue.getJob(high.id))?.getState()).toBe('waiting');
});
