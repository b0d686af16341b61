import type { ClusterTarget, RedisTarget, SentinelTarget } from '@sms/config';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

/** A connection to the gateway's Redis, whichever topology it is. */
export type RedisConnection = Redis | Cluster;

/** What a target gives: a `Cluster` for a Redis Cluster, a `Redis` otherwise. */
export type ConnectionFor<T extends RedisTarget> = T extends ClusterTarget ? Cluster : Redis;

export interface ConnectionSettings {
  /** Connect on `connect()` or the first command rather than at once. @defaultValue false */
  readonly lazyConnect?: boolean;
}

/**
 * A connection for producers (the API). With the offline queue off and one retry per command,
 * a request fails within a connect timeout when Redis is down, so the API can answer 503 at
 * once instead of holding the caller while ioredis buffers commands.
 * See https://docs.bullmq.io/guide/going-to-production#maxretriesperrequest
 */
export function createProducerConnection<T extends RedisTarget>(
  target: T,
  settings: ConnectionSettings = {},
): ConnectionFor<T> {
  return connect(target, settings, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  });
}

/**
 * A connection for workers. BullMQ requires `maxRetriesPerRequest: null` here, on a Cluster's
 * nodes too: its blocking commands must survive reconnections instead of failing the worker loop.
 */
export function createWorkerConnection<T extends RedisTarget>(
  target: T,
  settings: ConnectionSettings = {},
): ConnectionFor<T> {
  return connect(target, settings, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
}

interface Behaviour {
  readonly enableOfflineQueue?: boolean;
  readonly maxRetriesPerRequest: number | null;
  readonly connectTimeout?: number;
  readonly retryStrategy: (times: number) => number;
}

// RESP3, with replies in the shapes of RESP2 (which BullMQ's code and ours parse), chosen on the
// figures of bench/resp-protocol.ts: see "RESP3" in packages/queue/README.md. Written out, not
// left to ioredis' defaults, so that a change of default is a decision here.
const WIRE = { protocol: 3, replyMapping: 'legacy' } as const satisfies RedisOptions;

function connect<T extends RedisTarget>(
  target: T,
  settings: ConnectionSettings,
  behaviour: Behaviour,
): ConnectionFor<T> {
  const own = { lazyConnect: settings.lazyConnect ?? false };
  const credentials = {
    ...(target.username !== undefined && { username: target.username }),
    ...(target.password !== undefined && { password: target.password }),
  };
  // WIRE goes last: spread after a RedisOptions, ioredis' types let replyMapping be undefined,
  // which its constructor refuses under exactOptionalPropertyTypes.
  switch (target.kind) {
    case 'server':
      return new Redis(target.url, { ...behaviour, ...credentials, ...own, ...WIRE }) as ConnectionFor<T>;
    case 'sentinel':
      return new Redis({
        ...sentinelOptions(target),
        ...behaviour,
        ...credentials,
        ...own,
        ...WIRE,
      }) as ConnectionFor<T>;
    case 'cluster':
      return new Cluster(
        target.nodes.map(({ host, port }) => ({ host, port })),
        { ...clusterOptions(target, behaviour, credentials), ...own },
      ) as ConnectionFor<T>;
  }
}

function sentinelOptions(target: SentinelTarget): RedisOptions {
  return {
    sentinels: target.sentinels.map(({ host, port }) => ({ host, port })),
    name: target.masterName,
    ...(target.sentinelPassword !== undefined && { sentinelPassword: target.sentinelPassword }),
    ...(target.tls && { tls: {}, sentinelTLS: {}, enableTLSForSentinelMode: true }),
    // Not ioredis' failoverDetector. Under ioredis 5 its +switch-master handler, landing while the
    // client was still asking the sentinels for the new primary, ended the client for good
    // ("Connection is closed.", about one failover in three in test/topologies). ioredis 6.0.0
    // keeps reconnecting then (redis/ioredis#2123), but with the detector on, one run in ten of
    // redis-sentinel-failover.test.ts still had requests answered 503 after the failover had
    // settled; without it, ten in ten pass. Redis closes its clients' connections when it changes
    // role, which is enough to reconnect; a primary demoted while a connection stayed open
    // answers READONLY, and that reconnects too (sending the command again).
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
  };
}

function clusterOptions(
  target: ClusterTarget,
  behaviour: Behaviour,
  credentials: Pick<RedisOptions, 'username' | 'password'>,
) {
  const { enableOfflineQueue, retryStrategy, ...perNode } = behaviour;
  // Checked, not declared, as ClusterOptions: that type leaves redisOptions possibly undefined,
  // which ioredis' Cluster constructor does not take under exactOptionalPropertyTypes.
  return {
    // ioredis keeps an offline queue per node regardless; this is the Cluster's own, used
    // while it discovers the slots.
    ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
    clusterRetryStrategy: retryStrategy,
    redisOptions: { ...WIRE, ...perNode, ...credentials, ...(target.tls && { tls: {} }) },
  } satisfies ClusterOptions;
}
