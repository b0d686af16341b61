import { randomUUID } from 'node:crypto';
import { redisKeyPrefix } from '@sms/config';
import {
  type RedisCluster,
  type RedisSentinelSet,
  startRedisCluster,
  startRedisSentinel,
  startRedisServer,
} from '@sms/testing';
import { Cluster, Redis } from 'ioredis';
import { checkEvictionPolicy } from './check-eviction-policy';
import { DeadlinePassedError } from './deadline-passed-error';
import { enqueueBeforeDeadline } from './enqueue-before-deadline';
import { NotReplicatedError } from './not-replicated-error';
import { pingRedis, primariesOf } from './ping-redis';
import { readQueueState } from './read-queue-state';
import { createProducerConnection, createWorkerConnection, type RedisConnection } from './redis-connections';
import { ReplicaAcknowledgement } from './replica-acknowledgement';
import { createSmsQueue, enqueueSms } from './sms-queue';
import { waitForRedis } from './wait-for-redis';

// The connection factories and what is built on them, on a real Redis Cluster (three primaries,
// one replica each) and a real Sentinel set (a primary, one replica, three sentinels).
let cluster: RedisCluster;
let sentinel: RedisSentinelSet;
const connections: RedisConnection[] = [];
const closing: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  [cluster, sentinel] = await Promise.all([
    startRedisCluster({ primaries: 3, replicasPerPrimary: 1 }),
    startRedisSentinel({ replicas: 1 }),
  ]);
}, 90_000);
afterAll(async () => {
  await Promise.all(closing.map((close) => close()));
  for (const connection of connections) connection.disconnect();
  await Promise.all([cluster?.stop(), sentinel?.stop()]);
});

async function ready<T extends RedisConnection>(connection: T): Promise<T> {
  connection.on('error', () => {});
  connections.push(connection);
  await waitForRedis(connection, { warn: () => {} });
  return connection;
}

const job = { to: '573001234567', text: 'hi', client: 'billing', acceptedAt: Date.now() };
const newPrefix = () => redisKeyPrefix(`q${randomUUID().slice(0, 8)}`);

/** A send queue under a new prefix, and a WAIT for one replica to put around its writes. */
function queueWaitingForOneReplica(connection: RedisConnection) {
  const prefix = newPrefix();
  const queue = createSmsQueue({ connection, prefix });
  closing.push(() => queue.close());
  const acknowledgement = new ReplicaAcknowledgement(connection, {
    replicas: 1,
    timeoutMs: 2_000,
    keyPrefix: prefix,
  });
  return { queue, acknowledgement };
}

describe('on a Redis Cluster', () => {
  it('builds a Cluster connection whose ping reaches every primary', async () => {
    const connection = await ready(createProducerConnection(cluster.target));
    expect(connection).toBeInstanceOf(Cluster);
    expect(primariesOf(connection)).toHaveLength(3);
    await expect(pingRedis(connection)).resolves.toBeUndefined();
  });

  it('runs BullMQ on one hash slot: adds, counts and reads the oldest job', async () => {
    const connection = await ready(createWorkerConnection(cluster.target));
    const queue = createSmsQueue({ connection, prefix: newPrefix() });
    closing.push(() => queue.close());
    await enqueueSms(queue, 'first', job, { attempts: 1 });
    await enqueueSms(queue, 'second', job, { attempts: 1 });
    expect((await readQueueState(queue, connection)).counts).toMatchObject({ waiting: 2 });
  });

  it('names the primary whose maxmemory-policy may evict', async () => {
    const connection = await ready(createProducerConnection(cluster.target));
    const [evicting] = primariesOf(connection);
    await evicting!.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const logged: object[] = [];
    const policy = await checkEvictionPolicy(connection, { error: (details) => void logged.push(details) });
    await evicting!.config('SET', 'maxmemory-policy', 'noeviction');
    expect(policy).toBe('allkeys-lru');
    expect(logged).toEqual([
      { maxmemoryPolicy: 'allkeys-lru', node: `${evicting!.options.host}:${evicting!.options.port}` },
    ]);
  });

  it('confirms a write once the replica of the slot’s primary holds it, and refuses more', async () => {
    const connection = await ready(createProducerConnection(cluster.target));
    const prefix = newPrefix();
    const queue = createSmsQueue({ connection, prefix });
    closing.push(() => queue.close());
    const once = new ReplicaAcknowledgement(connection, { replicas: 1, timeoutMs: 2_000, keyPrefix: prefix });
    await expect(once.around(() => enqueueSms(queue, 'kept', job, { attempts: 1 }))).resolves.toBeUndefined();
    const twice = new ReplicaAcknowledgement(connection, { replicas: 2, timeoutMs: 200, keyPrefix: prefix });
    await expect(twice.around(() => enqueueSms(queue, 'unsure', job, { attempts: 1 }))).rejects.toMatchObject(
      {
        name: 'NotReplicatedError',
        code: 'REDIS_NOT_REPLICATED',
        acknowledged: 1,
        required: 2,
      },
    );
  });

  it('adds a batch in one script on the slot of its prefix, whole or, when late, not at all', async () => {
    const connection = await ready(createProducerConnection(cluster.target));
    const { queue, acknowledgement } = queueWaitingForOneReplica(connection);
    const batch = ['a', 'b', 'c'].map((id) => ({ id, data: job }));
    const add = (jobs: typeof batch, deadline: number) =>
      acknowledgement.around(() => enqueueBeforeDeadline(queue, jobs, { attempts: 1 }, deadline));

    await expect(add(batch, Date.now() - 1_000)).rejects.toBeInstanceOf(DeadlinePassedError);
    expect(await queue.getJobs()).toEqual([]);
    await add(batch, Date.now() + 60_000);
    expect((await readQueueState(queue, connection)).counts).toMatchObject({ waiting: 3 });
    // The primary of the slot lost its scripts: they are loaded again, and the add goes through.
    await Promise.all(primariesOf(connection).map((node) => node.script('FLUSH')));
    await add([{ id: 'd', data: job }], Date.now() + 60_000);
    expect((await readQueueState(queue, connection)).counts).toMatchObject({ waiting: 4 });
  });
});

describe('with Redis Sentinel', () => {
  it('connects to the primary the sentinels name', async () => {
    const connection = await ready(createProducerConnection(sentinel.target));
    expect(connection).toBeInstanceOf(Redis);
    const [, port] = (await connection.config('GET', 'port')) as [string, string];
    expect(Number(port)).toBe((await sentinel.currentMaster()).port);
    expect(await checkEvictionPolicy(connection, { error: () => {} })).toBe('noeviction');
  });

  it('confirms writes through one WAIT shared by the writes of the same moment', async () => {
    const connection = await ready(createProducerConnection(sentinel.target));
    const { queue, acknowledgement } = queueWaitingForOneReplica(connection);
    const waitsBefore = await waitCalls(connection);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        acknowledgement.around(() => enqueueSms(queue, `m${i}`, job, { attempts: 1 })),
      ),
    );
    expect(await waitCalls(connection)).toBeLessThan(waitsBefore + 20);
  });
});

it('refuses a write as unconfirmed when the server has no replica', async () => {
  const server = await startRedisServer();
  try {
    const connection = await ready(createProducerConnection(server.target));
    const acknowledgement = new ReplicaAcknowledgement(connection, {
      replicas: 1,
      timeoutMs: 100,
      keyPrefix: '{x}',
    });
    const error = await acknowledgement.around(() => connection.set('{x}:k', 'v')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotReplicatedError);
    expect(error).toMatchObject({ acknowledged: 0, required: 1 });
  } finally {
    await server.stop();
  }
});

async function waitCalls(connection: Redis): Promise<number> {
  const stats = await connection.info('commandstats');
  return Number(/cmdstat_wait:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}
