import { type ChildProcess, spawn } from 'node:child_process';
import Redis from 'ioredis';
import { waitFor } from './wait-for';

/** A `redis-server` child process (a data node or, with `--sentinel`, a sentinel). */
export interface RedisProcess {
  readonly port: number;
  /** True once the process has exited. */
  exited(): boolean;
  /** Its last lines of output, for failure messages. */
  log(): string;
  /** SIGKILL, as a crash would end it; resolves once it has exited. */
  kill(): Promise<void>;
  /**
   * SIGSTOP (`'stop'`) or SIGCONT (`'continue'`): a stopped server keeps its connections open and
   * answers nothing, as a Redis stuck on a slow disk, a long fork or a paused VM does.
   */
  pause(state: 'stop' | 'continue'): void;
}

/**
 * Starts `redis-server` with `args` (a configuration file first, if any, then options) serving
 * `port` on 127.0.0.1, and resolves once it answers PING; rejects with its output if it exits
 * first or does not answer within `timeoutMs`.
 */
export async function spawnRedisServer(
  port: number,
  args: readonly string[],
  timeoutMs = 15_000,
): Promise<RedisProcess> {
  const child: ChildProcess = spawn('redis-server', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4_000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  const proc: RedisProcess = {
    port,
    exited: () => exited,
    log: () => log,
    kill: async () => {
      if (exited) return;
      child.kill('SIGKILL');
      await exit;
    },
    pause: (state) => {
      if (!exited) child.kill(state === 'stop' ? 'SIGSTOP' : 'SIGCONT');
    },
  };
  try {
    // waitFor keeps polling after a thrown error, so an early exit is checked by the condition.
    await waitFor(async () => exited || (await ping(port)) === 'PONG', {
      timeoutMs,
      description: `redis-server on port ${port}`,
    });
  } catch (error) {
    await proc.kill();
    throw new Error(`${(error as Error).message}; its output:\n${log}`);
  }
  if (exited) throw new Error(`redis-server on port ${port} exited at start:\n${log}`);
  return proc;
}

/** PONG when a server answers on `port`, else undefined. */
export async function ping(port: number): Promise<string | undefined> {
  return withClient(port, (client) => client.ping()).catch(() => undefined);
}

/** Runs `work` with a short-lived connection to the server on `port` of 127.0.0.1. */
export async function withClient<T>(port: number, work: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await work(client);
  } finally {
    // After a refused connect the socket is already closed: ioredis' disconnect would then arm a
    // 2 s timer that nothing clears, and Jest would wait for it after the last test.
    if (client.status !== 'end') client.disconnect();
  }
}

/** `key:value` lines of CLUSTER INFO or INFO as an object. */
export function infoFields(info: string): Record<string, string> {
  return Object.fromEntries(
    info
      .split(/\r?\n/)
      .filter((line) => line.includes(':') && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );
}
