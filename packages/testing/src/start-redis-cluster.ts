import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ClusterTarget, RedisAddress } from '@sms/config';
import { freePort } from './free-port';
import { infoFields, type RedisProcess, spawnRedisServer, withClient } from './redis-process';
import { hasRedisServer, serverArgs } from './start-redis';
import { waitFor } from './wait-for';

export interface RedisClusterOptions {
  /** Primaries, which share the 16384 slots. @defaultValue 3 (the fewest Redis accepts) */
  readonly primaries?: number;
  /** Replicas of each primary. @defaultValue 0 */
  readonly replicasPerPrimary?: number;
}

/** A private Redis Cluster on 127.0.0.1. */
export interface RedisCluster {
  /** Every node, primaries first. */
  readonly nodes: readonly RedisAddress[];
  readonly target: ClusterTarget;
  /** `REDIS_CLUSTER_NODES` for a gateway process (`startApiProcess`'s `redisEnv`). */
  readonly env: Readonly<Record<string, string>>;
  /** SIGKILLs every node and removes their directories. */
  stop(): Promise<void>;
}

/**
 * Starts a Redis Cluster of `redis-server`s on free ports (each with its bus on another free
 * port, so none lands in the ephemeral range), joins them with `redis-cli --cluster create`, and
 * resolves once every node reports `cluster_state:ok` and every replica is in sync.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  if (!hasRedisServer()) throw new Error('startRedisCluster needs redis-server and redis-cli on the PATH');
  const primaries = options.primaries ?? 3;
  const replicas = options.replicasPerPrimary ?? 0;
  const root = mkdtempSync(join(tmpdir(), 'sms-redis-cluster-'));
  const processes: RedisProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((proc) => proc.kill()));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    const count = primaries * (1 + replicas);
    const ports = await Promise.all(
      Array.from({ length: count }, async () => ({ port: await freePort(), bus: await freePort() })),
    );
    await Promise.all(
      ports.map(async ({ port, bus }) => {
        const dir = join(root, String(port));
        mkdirSync(dir);
        processes.push(
          await spawnRedisServer(port, [
            ...serverArgs(port, dir),
            ...['--appendonly', 'no', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
            ...['--cluster-port', String(bus), '--cluster-node-timeout', '5000'],
          ]),
        );
      }),
    );
    const addresses = ports.map(({ port }) => `127.0.0.1:${port}`);
    await promisify(execFile)(
      'redis-cli',
      ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'],
      { timeout: 60_000 },
    );
    await waitFor(
      async () => (await Promise.all(ports.map(({ port }) => isSettled(port, count)))).every(Boolean),
      {
        timeoutMs: 60_000,
        intervalMs: 100,
        description: `a Redis Cluster of ${count} nodes to settle`,
      },
    );
    const nodes = ports.map(({ port }) => ({ host: '127.0.0.1', port }));
    return {
      nodes,
      target: { kind: 'cluster', nodes, tls: false },
      env: { REDIS_CLUSTER_NODES: addresses.join(',') },
      stop,
    };
  } catch (error) {
    const logs = processes.map((proc) => `--- ${proc.port}\n${proc.log()}`).join('\n');
    await stop();
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
}

// Settled: the node sees every slot served and every node, and, if a replica, is in sync.
async function isSettled(port: number, nodes: number): Promise<boolean> {
  return withClient(port, async (client) => {
    const cluster = infoFields(await client.cluster('INFO'));
    const replication = infoFields(await client.info('replication'));
    return (
      cluster.cluster_state === 'ok' &&
      Number(cluster.cluster_known_nodes) === nodes &&
      (replication.role === 'master' || replication.master_link_status === 'up')
    );
  });
}
