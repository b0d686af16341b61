import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerTarget } from '@sms/config';
import { freePort } from './free-port';
import { type RedisProcess, spawnRedisServer } from './redis-process';
import { startRedisContainer } from './start-redis-container';

export interface TestRedis {
  readonly url: string;
  /** The same server as a target, for `createProducerConnection` and `createWorkerConnection`. */
  readonly target: ServerTarget;
  /** False when the tests were pointed at someone else's Redis through `REDIS_URL`. */
  readonly owned: boolean;
  stop(): Promise<void>;
}

export interface RedisServer extends TestRedis {
  readonly port: number;
  /**
   * Starts the server again on the same port, after `stop()` or `crash()`; after `crash()` it
   * reloads the append-only file, as a Redis restarted by its supervisor does.
   */
  restart(): Promise<void>;
  /**
   * Kills the server with SIGKILL and keeps its data directory, so that `restart()` finds what
   * the append-only file holds.
   */
  crash(): Promise<void>;
  /**
   * Stops the server with SIGSTOP until `thaw()`: its clients stay connected and every command
   * they send waits, unanswered, in the socket. Needs a local `redis-server`.
   */
  freeze(): void;
  /** SIGCONT: the server runs again and executes, in order, every command that waited. */
  thaw(): void;
}

export interface RedisServerOptions {
  /** Keep an append-only file. @defaultValue false, or true when `appendfsync` is given */
  readonly appendOnly?: boolean;
  /**
   * When Redis fsyncs the append-only file: after every write (`always`), once a second
   * (`everysec`), or when the OS decides (`no`). @defaultValue 'everysec' (Redis' own default)
   */
  readonly appendfsync?: 'always' | 'everysec' | 'no';
  /**
   * The data folder, e.g. a tiny file system (`mountTinyDisk`) that fills up; left in place on
   * `stop()`. @defaultValue a new temporary folder, removed on `stop()`
   */
  readonly dir?: string;
}

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
  ];
}

export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}
