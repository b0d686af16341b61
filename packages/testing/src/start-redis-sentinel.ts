import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RedisAddress, SentinelTarget } from '@sms/config';
import { freePort } from './free-port';
import { infoFields, type RedisProcess, spawnRedisServer, withClient } from './redis-process';
import { hasRedisServer, serverArgs } from './start-redis';
import { waitFor } from './wait-for';

export interface RedisSentinelOptions {
  /** Replicas of the primary. @defaultValue 1 */
  readonly replicas?: number;
  /** The primary's name in the sentinels' configuration. @defaultValue 'gateway' */
  readonly masterName?: string;
  /** Sentinels' `down-after-milliseconds`: silence before a primary counts as down. @defaultValue 1000 */
  readonly downAfterMs?: number;
}

/** A private primary with replicas, watched by three sentinels, on 127.0.0.1. */
export interface RedisSentinelSet {
  readonly masterName: string;
  readonly sentinels: readonly RedisAddress[];
  readonly target: SentinelTarget;
  /** `REDIS_SENTINELS` and `REDIS_SENTINEL_MASTER` for a gateway process. */
  readonly env: Readonly<Record<string, string>>;
  /** The primary as the sentinels name it now. */
  currentMaster(): Promise<RedisAddress>;
  /** SIGKILLs the current primary, as a crash of its host would, and returns its address. */
  killMaster(): Promise<RedisAddress>;
  /** Waits until the sentinels name a primary other than `old` and it takes writes. */
  waitForFailover(old: RedisAddress, timeoutMs?: number): Promise<RedisAddress>;
  /** SIGKILLs every server and sentinel and removes their directories. */
  stop(): Promise<void>;
}

const QUORUM = 2;
const SENTINELS = 3;

/**
 * Starts a primary, `replicas` replicas and three sentinels (quorum 2) on free ports, and
 * resolves once every replica is in sync and every sentinel knows the replicas and the other
 * sentinels, so that a failover can start at once. `redis-server --sentinel` is what
 * `redis-sentinel` runs.
 */
export async function startRedisSentinel(options: RedisSentinelOptions = {}): Promise<RedisSentinelSet> {
  if (!hasRedisServer()) throw new Error('startRedisSentinel needs redis-server on the PATH');
  const masterName = options.masterName ?? 'gateway';
  const replicaCount = options.replicas ?? 1;
  const root = mkdtempSync(join(tmpdir(), 'sms-redis-sentinel-'));
  const servers = new Map<number, RedisProcess>();
  const sentinelProcesses: RedisProcess[] = [];
  const stop = async () => {
    await Promise.all([...servers.values(), ...sentinelProcesses].map((proc) => proc.kill()));
    rmSync(root, { recursive: true, force: true });
  };
  const dirOf = (port: number) => {
    const dir = join(root, String(port));
    mkdirSync(dir);
    return dir;
  };
  try {
    const masterPort = await freePort();
    servers.set(
      masterPort,
      await spawnRedisServer(masterPort, [...serverArgs(masterPort, dirOf(masterPort))]),
    );
    const replicaPorts = await Promise.all(Array.from({ length: replicaCount }, () => freePort()));
    await Promise.all(
      replicaPorts.map(async (port) => {
        const args = [...serverArgs(port, dirOf(port)), '--replicaof', '127.0.0.1', String(masterPort)];
        servers.set(port, await spawnRedisServer(port, args));
      }),
    );
    await waitFor(async () => (await Promise.all(replicaPorts.map(inSync))).every(Boolean), {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'the replicas to sync with the primary',
    });

    const sentinelPorts = await Promise.all(Array.from({ length: SENTINELS }, () => freePort()));
    await Promise.all(
      sentinelPorts.map(async (port) => {
        const dir = dirOf(port);
        const conf = join(dir, 'sentinel.conf');
        // Sentinel rewrites its configuration file as it learns, so it must be a writable file.
        writeFileSync(
          conf,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `dir ${dir}`,
            'loglevel warning',
            `sentinel monitor ${masterName} 127.0.0.1 ${masterPort} ${QUORUM}`,
            `sentinel down-after-milliseconds ${masterName} ${options.downAfterMs ?? 1_000}`,
            `sentinel failover-timeout ${masterName} 5000`,
            `sentinel parallel-syncs ${masterName} 1`,
            '',
          ].join('\n'),
        );
        sentinelProcesses.push(await spawnRedisServer(port, [conf, '--sentinel']));
      }),
    );
    // Sentinels find each other through hello messages every 2 s on the primary.
    await waitFor(
      async () =>
        (
          await Promise.all(
            sentinelPorts.map(async (port) => {
              const master = await sentinelMaster(port, masterName);
              return (
                master.flags === 'master' &&
                Number(master['num-other-sentinels']) === SENTINELS - 1 &&
                Number(master['num-slaves']) === replicaCount
              );
            }),
          )
        ).every(Boolean),
      {
        timeoutMs: 30_000,
        intervalMs: 200,
        description: 'the sentinels to know each other and the replicas',
      },
    );

    const sentinels = sentinelPorts.map((port) => ({ host: '127.0.0.1', port }));
    const currentMaster = () => masterAddress(sentinelPorts, masterName);
    return {
      masterName,
      sentinels,
      target: { kind: 'sentinel', sentinels, masterName, tls: false },
      env: {
        REDIS_SENTINELS: sentinels.map(({ host, port }) => `${host}:${port}`).join(','),
        REDIS_SENTINEL_MASTER: masterName,
      },
      currentMaster,
      killMaster: async () => {
        const master = await currentMaster();
        const proc = servers.get(master.port);
        if (!proc) throw new Error(`no server of this set listens on ${master.port}`);
        await proc.kill();
        return master;
      },
      waitForFailover: (old, timeoutMs = 30_000) =>
        waitFor(
          async () => {
            const master = await currentMaster();
            if (master.port === old.port) return undefined;
            const role = await withClient(
              master.port,
              async (client) => infoFields(await client.info('replication')).role,
            );
            return role === 'master' ? master : undefined;
          },
          { timeoutMs, intervalMs: 100, description: `the sentinels to promote a replica of ${old.port}` },
        ),
      stop,
    };
  } catch (error) {
    const logs = [...servers.values(), ...sentinelProcesses]
      .map((proc) => `--- ${proc.port}\n${proc.log()}`)
      .join('\n');
    await stop();
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
}

async function inSync(port: number): Promise<boolean> {
  return withClient(
    port,
    async (client) => infoFields(await client.info('replication')).master_link_status === 'up',
  );
}

async function sentinelMaster(port: number, name: string): Promise<Record<string, string>> {
  const flat = await withClient(
    port,
    (client) => client.call('SENTINEL', 'MASTER', name) as Promise<string[]>,
  );
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i]!] = flat[i + 1]!;
  return record;
}

// The first sentinel that answers; they agree once a failover has been announced.
async function masterAddress(sentinelPorts: readonly number[], name: string): Promise<RedisAddress> {
  let lastError: unknown;
  for (const port of sentinelPorts) {
    try {
      const [host, masterPort] = await withClient(
        port,
        (client) => client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name) as Promise<[string, string]>,
      );
      return { host, port: Number(masterPort) };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`no sentinel answered: ${(lastError as Error | undefined)?.message}`);
}
