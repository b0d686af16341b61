import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';
import { type RedisProcess, spawnRedisServer } from './redis-process';
import type { RedisServer, RedisServerOptions, TestRedis } from './redis-server';
import { startRedisContainer } from './start-redis-container';

export type { RedisServer, RedisServerOptions, TestRedis } from './redis-server';

/**
 * A Redis for a test file: the one named by `REDIS_URL` when it is set (the tests then never
 * flush it and keep to their own key prefixes), otherwise a fresh `redis-server` of our own.
 */
export async function startRedis(): Promise<TestRedis> {
  const url = process.env.REDIS_URL;
  if (url) return { url, target: { kind: 'server', url }, owned: false, stop: async () => {} };
  return startRedisServer();
}

/**
 * Starts a private `redis-server` on a free port of 127.0.0.1, without RDB snapshots; falls back
 * to a container (`startRedisContainer`, same settings) when `redis-server` is missing and
 * Docker runs.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (!hasRedisServer()) return startRedisContainer(options);
  const appendOnly = options.appendOnly ?? options.appendfsync !== undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sms-redis-'));
  const port = await freePort();
  let child: RedisProcess | undefined;

  const start = async () => {
    if (child && !child.exited()) {
      throw new Error(`redis-server on port ${port} is still running: stop() or crash() it first`);
    }
    mkdirSync(dir, { recursive: true });
    child = await spawnRedisServer(port, [
      ...serverArgs(port, dir),
      ...['--appendonly', appendOnly ? 'yes' : 'no', '--appendfsync', options.appendfsync ?? 'everysec'],
    ]);
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    await proc?.kill();
  };

  await start();
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    target: { kind: 'server', url },
    port,
    owned: true,
    restart: start,
    crash: stop,
    freeze: () => child?.pause('stop'),
    thaw: () => child?.pause('continue'),
    stop: async () => {
      await stop();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The options every test server starts with: 127.0.0.1 only, data in `dir`, no RDB snapshots. */
export function serverArgs(port: number, dir: string): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    // As the gateway's Redis is configured (docs/operations.md, Redis); the services warn otherwise.
    '--hash-max-listpack-value',
    '512',
  ];
}

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}
