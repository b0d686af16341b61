import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import {
  apiConfigSchema,
  archiverConfigSchema,
  simulatorConfigSchema,
  workerConfigSchema,
} from '@sms/config';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** How a service process ended. */
export interface ServiceExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** How a service process ended after `stop()`, and how long it took from the signal to the exit. */
export interface ServiceStop extends ServiceExit {
  readonly elapsedMs: number;
}

/** A gateway service running as a child process, with what every kind of service offers. */
export interface ServiceProcess {
  readonly pid: number;
  /** Resolves when the process has exited and its output has been read to the end. */
  readonly exited: Promise<ServiceExit>;
  /** The last lines the process wrote (stderr lines marked), for failure messages. */
  output(): string;
  /** How many lines the process has written so far, on stdout and stderr together. */
  lineCount(): number;
  /**
   * Sends `signal` (SIGTERM by default) and waits for the exit; resolves with `elapsedMs` 0 when
   * the process had already exited. Sends SIGKILL and rejects if it is still running after
   * `timeoutMs` (default 60 s), so that a hung process cannot hang the test run.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ServiceStop>;
  /** SIGKILL, as a crash or the OOM killer would end it; resolves once it has exited. */
  kill(): Promise<ServiceExit>;
}

export interface SpawnServiceOptions {
  /** Name used in error messages, e.g. `worker`. */
  readonly name: string;
  /**
   * Path of the entry point, relative to the repository root or absolute. A `.ts` file runs
   * through tsx; a `.js` file (a compiled service) runs with plain `node`.
   */
  readonly main: string;
  readonly env: Readonly<Record<string, string>>;
  /** Lines of output kept for `output()`. @defaultValue 200 */
  readonly outputLines?: number;
}

/**
 * Runs a service's `src/main.ts` with `node --import tsx`, as `pnpm start` does (or a compiled
 * `main.js` with `node` alone), with the parent's environment minus every variable a gateway
 * service reads, plus `options.env`: a developer's or CI's settings never leak into a test's
 * process.
 */
export function spawnService(options: SpawnServiceOptions): ServiceProcess {
  const main = resolve(REPO_ROOT, options.main);
  const args = main.endsWith('.ts') ? ['--import', 'tsx', main] : [main];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...inheritedEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const limit = options.outputLines ?? 200;
  const lines: string[] = [];
  let lineCount = 0;
  const keep = (line: string) => {
    lineCount += 1;
    lines.push(line);
    if (lines.length > limit) lines.shift();
  };
  createInterface({ input: child.stdout! }).on('line', keep);
  createInterface({ input: child.stderr! }).on('line', (line) => keep(`stderr: ${line}`));

  // The exit time is taken at 'exit'; the promise resolves at 'close', after the last output.
  let exitedAt = 0;
  child.once('exit', () => {
    exitedAt = performance.now();
  });
  const exited = new Promise<ServiceExit>((done) => {
    child.once('close', (code, signal) => done({ code, signal }));
    child.once('error', (error) => {
      keep(`spawn error: ${error.message}`);
      done({ code: null, signal: null });
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const output = () => lines.join('\n');

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 60_000): Promise<ServiceStop> => {
    if (!running()) return { ...(await exited), elapsedMs: 0 };
    const sentAt = performance.now();
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((done) => {
      timer = setTimeout(() => done('late'), timeoutMs);
    });
    const result = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (result === 'late') {
      child.kill('SIGKILL');
      await exited;
      throw new Error(
        `${options.name} ${child.pid} did not exit within ${timeoutMs} ms of ${signal}; its output:\n${output()}`,
      );
    }
    return { ...result, elapsedMs: Math.round(exitedAt - sentAt) };
  };

  return {
    pid: child.pid ?? -1,
    exited,
    output,
    lineCount: () => lineCount,
    stop,
    kill: async () => {
      if (running()) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** `REDIS_URL`, or the variables of another topology, for a gateway process; exactly one. */
export function redisVariables(options: {
  readonly redisUrl?: string;
  readonly redisEnv?: Readonly<Record<string, string>>;
}): Record<string, string> {
  if ((options.redisUrl === undefined) === (options.redisEnv === undefined))
    throw new Error('give either redisUrl or redisEnv');
  return options.redisEnv ? { ...options.redisEnv } : { REDIS_URL: options.redisUrl! };
}

const GATEWAY_VARIABLES: ReadonlySet<string> = new Set(
  [apiConfigSchema, workerConfigSchema, archiverConfigSchema, simulatorConfigSchema].flatMap((schema) =>
    Object.keys(schema.shape).flatMap((name) => [name, `${name}_FILE`]),
  ),
);

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !GATEWAY_VARIABLES.has(key)) env[key] = value;
  }
  return env;
}

/**
 * Runs `work` (e.g. a `waitFor` given the signal) but rejects as soon as the process exits,
 * aborting the work, and adds the process's output to any rejection: a service that fails at
 * start-up is reported at once, with its reason.
 */
export async function untilExit<T>(
  service: ServiceProcess,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const exit = service.exited.then((how) => {
    throw new Error(`exited (code ${how.code}, signal ${how.signal})`);
  });
  exit.catch(() => {});
  try {
    return await Promise.race([work(controller.signal), exit]);
  } catch (error) {
    throw new Error(`${(error as Error).message}; output of ${service.pid}:\n${service.output()}`);
  } finally {
    controller.abort(new Error('given up'));
  }
}
