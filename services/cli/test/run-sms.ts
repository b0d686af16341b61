import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'services', 'cli', 'bin', 'sms.cjs');

/** How one run of the command line ended. */
export interface SmsRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SmsRunOptions {
  /** Variables on top of the test's environment (without any `SMS_*` or Redis variable of the developer's). */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to standard input, which is then closed. */
  readonly input?: string;
}

/** Runs `sms` through its `bin` entry, as a user would, and collects what it printed. */
export function runSms(args: readonly string[], options: SmsRunOptions = {}): Promise<SmsRun> {
  return run(process.execPath, [BIN, ...args], options);
}

/** Runs `pnpm sms ...` from the repository root, the way the README shows it. */
export function runPnpmSms(args: readonly string[], options: SmsRunOptions = {}): Promise<SmsRun> {
  return run('pnpm', ['sms', ...args], options);
}

function run(file: string, args: readonly string[], options: SmsRunOptions): Promise<SmsRun> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      [...args],
      { cwd: ROOT, env: { ...ownEnv(), ...options.env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** The JSON a run printed on stdout. */
export function stdoutJson<T = Record<string, unknown>>(run: SmsRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`sms printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

// What `sms` reads, so that no setting of the machine running the tests reaches it.
const OWN_SETTINGS = /^(SMS_|REDIS_|QUEUE_PREFIX$|SEND_ATTEMPTS$)/;

function ownEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !OWN_SETTINGS.test(key)) env[key] = value;
  }
  return env;
}
