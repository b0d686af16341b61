import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { SimulatorAdmin } from './simulator-admin';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const SIMULATOR_MAIN = join(REPO_ROOT, 'services', 'kaarai-simulator', 'src', 'main.ts');
const OUTPUT_LINES_KEPT = 200;

export interface StartSimulatorOptions {
  /** Extra environment, e.g. `{ KAARAI_SIM_PASSWORD: 'other' }`; ports default to 0 (free ports). */
  readonly env?: Readonly<Record<string, string>>;
  /** Also serve HTTPS, with a fresh self-signed certificate in a temporary directory. @defaultValue false */
  readonly https?: boolean;
  /** Give up if the simulator is not listening after this many milliseconds. @defaultValue 20000 */
  readonly startTimeoutMs?: number;
}

export interface RunningSimulator {
  /** Send endpoint over plain HTTP, e.g. `http://127.0.0.1:41234/api/v1/sms/send`. */
  readonly url: string;
  /** Send endpoint over HTTPS, when started with `https: true`. */
  readonly httpsUrl: string | undefined;
  /** File of the self-signed certificate to trust as CA (for `KAARAI_CA_FILE`), with `https: true`. */
  readonly caFile: string | undefined;
  /** Contents of `caFile` (PEM). */
  readonly ca: string | undefined;
  /** Base URL of the admin API, e.g. `http://127.0.0.1:41235`. */
  readonly adminUrl: string;
  readonly admin: SimulatorAdmin;
  readonly pid: number;
  /** The last lines the simulator wrote to stdout and stderr, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s; removes the temporary directory. */
  stop(): Promise<void>;
}

interface ListeningLine {
  readonly msg: 'listening';
  readonly sendUrl: string;
  readonly httpsSendUrl?: string;
  readonly adminUrl: string;
  readonly caFile?: string;
}

/**
 * Starts the real Kaarai simulator (`services/kaarai-simulator/src/main.ts`) as a child process
 * on free ports and resolves once it is listening.
 */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const tlsDir = options.https ? mkdtempSync(join(tmpdir(), 'kaarai-sim-tls-')) : undefined;
  const env: Record<string, string> = {
    ...inheritedEnv(),
    KAARAI_SIM_HOST: '127.0.0.1',
    KAARAI_SIM_PORT: '0',
    KAARAI_SIM_ADMIN_PORT: '0',
    ...(tlsDir === undefined ? {} : { KAARAI_SIM_HTTPS_PORT: '0', KAARAI_SIM_TLS_DIR: tlsDir }),
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', SIMULATOR_MAIN], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (line: string) => {
    output.push(line);
    if (output.length > OUTPUT_LINES_KEPT) output.shift();
  };
  // 'close' comes after 'exit' and after the last output line has been read.
  const exited = new Promise<void>((done) => child.once('close', () => done()));
  const stop = async () => {
    await stopChild(child, exited);
    if (tlsDir !== undefined) rmSync(tlsDir, { recursive: true, force: true });
  };

  createInterface({ input: child.stderr! }).on('line', (line) => keep(`stderr: ${line}`));
  let listening: ListeningLine;
  try {
    listening = await waitForListening(child, keep, options.startTimeoutMs ?? 20_000, () =>
      output.join('\n'),
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const { caFile } = listening;
  return {
    url: listening.sendUrl,
    httpsUrl: listening.httpsSendUrl,
    caFile,
    ca: caFile === undefined ? undefined : readFileSync(caFile, 'utf8'),
    adminUrl: listening.adminUrl,
    admin: new SimulatorAdmin(listening.adminUrl),
    pid: child.pid!,
    output: () => output.join('\n'),
    stop,
  };
}

/** The parent's environment without its own `KAARAI_SIM_*` settings, so that tests start alike everywhere. */
function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('KAARAI_SIM_')) env[key] = value;
  }
  return env;
}

function waitForListening(
  child: ChildProcess,
  keep: (line: string) => void,
  timeoutMs: number,
  output: () => string,
): Promise<ListeningLine> {
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`kaarai simulator ${reason}; its output:\n${output()}`));
    };
    const timer = setTimeout(() => fail(`was not listening after ${timeoutMs} ms`), timeoutMs);
    // 'close' rather than 'exit': it comes after the last output lines, which explain the exit.
    child.once('close', (code, signal) => fail(`exited (code ${code}, signal ${signal}) before listening`));
    child.once('error', (error) => fail(`could not start (${error.message})`));
    // Read stdout to its end even after the listening line: a full pipe would block the child.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      const parsed = settled ? undefined : parseJson(line);
      if (parsed?.msg === 'listening') {
        settled = true;
        clearTimeout(timer);
        resolvePromise(parsed as unknown as ListeningLine);
      }
    });
  });
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  if (await exitsWithin(exited, 5_000)) return;
  child.kill('SIGKILL');
  if (!(await exitsWithin(exited, 5_000)))
    throw new Error(`kaarai simulator ${child.pid} did not exit after SIGKILL`);
}

async function exitsWithin(exited: Promise<void>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(false), timeoutMs);
  });
  try {
    return await Promise.race([exited.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
