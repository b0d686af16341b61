import type { RedisAddress } from './env-types';

/** Who the gateway is to Redis servers using ACLs or a password. */
export interface RedisCredentials {
  readonly username?: string;
  readonly password?: string;
}

/** One server (or an endpoint that always reaches the primary), by URL. */
export interface ServerTarget extends RedisCredentials {
  readonly kind: 'server';
  /** `redis://` or `rediss://` (TLS), possibly with credentials in it. */
  readonly url: string;
}

/** A primary and its replicas watched by Redis Sentinel; the sentinels name the primary. */
export interface SentinelTarget extends RedisCredentials {
  readonly kind: 'sentinel';
  readonly sentinels: readonly RedisAddress[];
  /** The name of the primary in the sentinels' configuration (`sentinel monitor <name>`). */
  readonly masterName: string;
  readonly sentinelPassword?: string;
  /** TLS to the sentinels and to the servers. */
  readonly tls: boolean;
}

/** A Redis Cluster, found from some of its nodes. */
export interface ClusterTarget extends RedisCredentials {
  readonly kind: 'cluster';
  readonly nodes: readonly RedisAddress[];
  readonly tls: boolean;
}

/** Where the gateway's Redis is and how to reach it: what the connection factories build from. */
export type RedisTarget = ServerTarget | SentinelTarget | ClusterTarget;

/** The Redis variables of a parsed configuration (`sharedConfigShape`). */
export interface RedisSettings {
  readonly REDIS_URL?: string | undefined;
  readonly REDIS_SENTINELS?: readonly RedisAddress[] | undefined;
  readonly REDIS_SENTINEL_MASTER?: string | undefined;
  readonly REDIS_SENTINEL_PASSWORD?: string | undefined;
  readonly REDIS_CLUSTER_NODES?: readonly RedisAddress[] | undefined;
  readonly REDIS_USERNAME?: string | undefined;
  readonly REDIS_PASSWORD?: string | undefined;
  readonly REDIS_TLS: boolean;
}

/** The Redis a process uses when no variable names one. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The one Redis target a configuration names. The schemas have already refused two topologies
 * at once (`redisTopologyProblems`), so the order of the checks here decides nothing.
 */
export function redisTargetOf(settings: RedisSettings): RedisTarget {
  const credentials: RedisCredentials = {
    ...(settings.REDIS_USERNAME !== undefined && { username: settings.REDIS_USERNAME }),
    ...(settings.REDIS_PASSWORD !== undefined && { password: settings.REDIS_PASSWORD }),
  };
  if (settings.REDIS_SENTINELS !== undefined) {
    return {
      kind: 'sentinel',
      sentinels: settings.REDIS_SENTINELS,
      masterName: settings.REDIS_SENTINEL_MASTER ?? '',
      ...(settings.REDIS_SENTINEL_PASSWORD !== undefined && {
        sentinelPassword: settings.REDIS_SENTINEL_PASSWORD,
      }),
      tls: settings.REDIS_TLS,
      ...credentials,
    };
  }
  if (settings.REDIS_CLUSTER_NODES !== undefined) {
    return { kind: 'cluster', nodes: settings.REDIS_CLUSTER_NODES, tls: settings.REDIS_TLS, ...credentials };
  }
  return { kind: 'server', url: settings.REDIS_URL ?? DEFAULT_REDIS_URL, ...credentials };
}

/** The target for logs and error messages: where it is, never a password. */
export function describeRedisTarget(target: RedisTarget): string {
  const list = (addresses: readonly RedisAddress[]) =>
    addresses.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`).join(',');
  switch (target.kind) {
    case 'server':
      return withoutPassword(target.url);
    case 'sentinel':
      return `Sentinel primary "${target.masterName}" via ${list(target.sentinels)}`;
    case 'cluster':
      return `Cluster via ${list(target.nodes)}`;
  }
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable REDIS_URL)';
  }
}
