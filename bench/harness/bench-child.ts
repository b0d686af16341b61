import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = resolve(__dirname, '..', '..');

/** One line of a bench child's protocol: a JSON object with an `event` name. */
export interface ChildEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

/**
 * A helper process of the bench (a baseline server or worker, a load generator): it writes one
 * JSON object per line on stdout (`{"event":"ready",...}`, `{"event":"result",...}`) and reads
 * commands (`go`, `exit`) one per line on stdin.
 */
export interface BenchChild {
  readonly pid: number;
  /** The next event of that name (or an earlier one not yet taken); rejects if the child exits first. */
  next<T extends object = ChildEvent>(event: string, timeoutMs?: number): Promise<T>;
  /** Writes one command line to the child's stdin. */
  send(command: string): void;
  /** Its last lines of stderr and unparsed stdout, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Runs `bench/<script>` (TypeScript, through tsx as the services run) with `args` and `env` on
 * top of the parent's environment.
 */
export function spawnBenchChild(
  script: string,
  args: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): BenchChild {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 100) lines.shift();
  };
  const events: ChildEvent[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = parseEvent(line);
    if (event) events.push(event);
    else keep(line);
    wake();
  });
  createInterface({ input: child.stderr! }).on('line', (line) => keep(`stderr: ${line}`));
  let exited = false;
  const exit = new Promise<void>((done) => child.once('close', () => done()));
  void exit.then(() => {
    exited = true;
    wake();
  });
  child.stdin!.on('error', () => {});
  const output = () => lines.join('\n');

  const next = <T extends object>(name: string, timeoutMs = 600_000): Promise<T> =>
    new Promise<T>((resolvePromise, reject) => {
      const deadline = setTimeout(() => {
        reject(new Error(`${script}: no "${name}" within ${timeoutMs} ms; its output:\n${output()}`));
      }, timeoutMs);
      const check = () => {
        const index = events.findIndex((event) => event.event === name);
        if (index !== -1) {
          clearTimeout(deadline);
          resolvePromise(events.splice(index, 1)[0] as unknown as T);
        } else if (exited) {
          clearTimeout(deadline);
          reject(
            new Error(`${script} exited (code ${child.exitCode}) before "${name}"; its output:\n${output()}`),
          );
        } else {
          waiters.push(check);
        }
      };
      check();
    });

  return {
    pid: child.pid ?? -1,
    next,
    send: (command) => {
      child.stdin!.write(`${command}\n`);
    },
    output,
    stop: () => stopChild(child, exit),
  };
}

function parseEvent(line: string): ChildEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as Partial<ChildEvent>;
    return typeof parsed.event === 'string' ? (parsed as ChildEvent) : undefined;
  } catch {
    return undefined;
  }
}

async function stopChild(child: ChildProcess, exit: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return exit;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exit;
  clearTimeout(timer);
}
