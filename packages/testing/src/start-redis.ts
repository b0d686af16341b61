import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export interface TestRedis {
  readonly url: string;
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
   * the append-only file holds. Needs a local `redis-server` (not the container fallback).
   */
  crash(): Promise<void>;
}

export interface RedisServerOptions {
  /** Keep an append-only file. @defaultValue false, or true when `appendfsync` is given */
  readonly appendOnly?: boolean;
  /**
   * When Redis fsyncs the append-only file: after every write (`always`), once a second
   * (`everysec`), or when the OS decides (`no`). @defaultValue 'everysec' (Redis' own default)
   */
  readonly appendfsync?: 'always' | 'everysec' | 'no';
}

const INSTALL_HINT =
  'no redis-server found: install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) ' +
  'or set REDIS_URL to a Redis the tests may use';

/**
 * A Redis for a test file: the one named by `REDIS_URL` when it is set (the tests then never
 * flush it and keep to their own key prefixes), otherwise a fresh `redis-server` of our own.
 */
export async function startRedis(): Promise<TestRedis> {
  const url = process.env.REDIS_URL;
  if (url) return { url, owned: false, stop: async () => {} };
  return startRedisServer();
}

/**
 * Starts a private `redis-server` on a free port of 127.0.0.1, without RDB snapshots; falls back
 * to a container when `redis-server` is missing and Docker runs.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (!hasRedisServer()) return startRedisContainer();
  const appendOnly = options.appendOnly ?? options.appendfsync !== undefined;
  const dir = mkdtempSync(join(tmpdir(), 'sms-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;

  const start = async () => {
    if (child) throw new Error(`redis-server on port ${port} is still running: stop() or crash() it first`);
    mkdirSync(dir, { recursive: true });
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
    args.push(
      '--appendonly',
      appendOnly ? 'yes' : 'no',
      '--appendfsync',
      options.appendfsync ?? 'everysec',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    );
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let log = '';
    const collect = (chunk: Buffer) => {
      log = (log + chunk.toString()).slice(-4_000);
    };
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);
    let exited = false;
    proc.once('exit', () => {
      exited = true;
      if (child === proc) child = undefined;
    });
    // waitFor keeps polling after a thrown error, so an early exit is checked by the condition.
    await waitFor(async () => exited || (await ping(port)) === 'PONG', {
      timeoutMs: 15_000,
      description: `redis-server on port ${port}`,
    });
    if (exited) throw new Error(`redis-server on port ${port} exited at start:\n${log}`);
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    owned: true,
    restart: start,
    crash: stop,
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function ping(port: number): Promise<string | undefined> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.ping();
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

// Only used where Docker runs and Redis is not installed; testcontainers is loaded lazily so
// that machines without Docker never pay for it.
async function startRedisContainer(): Promise<RedisServer> {
  let container: import('testcontainers').StartedTestContainer;
  try {
    const { GenericContainer } = await import('testcontainers');
    container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
  } catch (error) {
    throw new Error(`${INSTALL_HINT} (no Docker either: ${(error as Error).message})`);
  }
  const port = container.getMappedPort(6379);
  return {
    url: `redis://${container.getHost()}:${port}`,
    port,
    owned: true,
    restart: async () => {
      await container.restart();
    },
    crash: async () => {
      throw new Error('crash() needs a local redis-server; the container fallback cannot keep its data');
    },
    stop: async () => {
      await container.stop();
    },
  };
}
