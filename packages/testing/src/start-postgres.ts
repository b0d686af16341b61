import { execFile, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { migrateDatabase } from '@sms/archive';
import { freePort } from './free-port';
import { postgresBinDir } from './postgres-binaries';

const run = promisify(execFile);

/** A private PostgreSQL for a test file (`startPostgres`). */
export interface TestPostgres {
  /**
   * `postgresql://postgres@127.0.0.1:<port>/postgres`, trusted, no password; its schema migrated
   * (`migrateDatabase`) unless started with `migrate: false`.
   */
  readonly url: string;
  readonly port: number;
  /**
   * Stops the server (`pg_ctl stop -m fast`) and keeps its data: open connections are closed and
   * new ones refused, as when PostgreSQL goes down, until `startServer()`.
   */
  stopServer(): Promise<void>;
  /** Starts the server again on the same port and data, after `stopServer()`. */
  startServer(): Promise<void>;
  /**
   * Stops the server and every backend with SIGSTOP until `thaw()`: connections stay open and
   * new ones are accepted by the kernel, but nothing is answered, as from a stuck host.
   */
  freeze(): void;
  /** SIGCONT: the server answers again, everything that waited included. */
  thaw(): void;
  /** Stops the server at once and removes its folder. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Run the archive's migrations before resolving. @defaultValue true */
  readonly migrate?: boolean;
  /** More `postgresql.conf` settings, e.g. `{ shared_buffers: '256MB' }` for a benchmark (quoted here). */
  readonly settings?: Readonly<Record<string, string>>;
}

/**
 * Starts a PostgreSQL cluster of its own, with the archive's schema: `initdb` into a new
 * temporary folder, listening on a free port of 127.0.0.1 and on a socket inside that folder,
 * without fsync (a test's data need not survive a power cut). Run as the `postgres` user when
 * this process is root, as initdb refuses root. Throws `PostgresMissingError` when PostgreSQL is
 * not installed.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'sms-postgres-'));
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const port = await freePort();
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const pg = (program: string, args: readonly string[]) => runAsOwner(join(bin, program), args, dir);
  let running = false;

  const pgCtl = async (args: readonly string[]) => {
    try {
      await pg('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-s', ...args]);
    } catch (error) {
      throw new Error(`pg_ctl ${args[0]} failed: ${(error as Error).message}\n${logTail(log)}`);
    }
  };

  try {
    if (isRoot()) chownSync(dir, postgresUser().uid, postgresUser().gid);
    // Trust and no sync: nothing here needs a password or survives the machine; --no-sync makes
    // initdb take half a second instead of several.
    await pg('initdb', [
      '-D',
      data,
      '--auth=trust',
      '-U',
      'postgres',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      port: String(port),
      unix_socket_directories: dir,
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      ...options.settings,
    };
    appendFileSync(
      join(data, 'postgresql.conf'),
      Object.entries(settings)
        .map(([name, value]) => `${name} = '${value.replaceAll("'", "''")}'\n`)
        .join(''),
    );
    await pgCtl(['start']);
    running = true;
    if (options.migrate ?? true) await migrateDatabase(url);
  } catch (error) {
    if (running) await pgCtl(['stop', '-m', 'immediate']).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    port,
    stopServer: async () => {
      await pgCtl(['stop', '-m', 'fast']);
      running = false;
    },
    startServer: async () => {
      await pgCtl(['start']);
      running = true;
    },
    freeze: () => signalAll(data, 'SIGSTOP'),
    thaw: () => signalAll(data, 'SIGCONT'),
    stop: async () => {
      if (running) {
        // A frozen server would not hear pg_ctl.
        signalAll(data, 'SIGCONT');
        await pgCtl(['stop', '-m', 'immediate']);
      }
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends `signal` to the server of `data` (its postmaster.pid) and to each of its processes. */
function signalAll(data: string, signal: 'SIGSTOP' | 'SIGCONT'): void {
  const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = spawnSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((line) => line !== '')
    .map(Number);
  // The postmaster first when stopping, so that it starts no backend meanwhile; last when going on.
  const order = signal === 'SIGSTOP' ? [postmaster, ...children] : [...children, postmaster];
  for (const pid of order) {
    try {
      process.kill(pid, signal);
    } catch (error) {
      // A backend whose client left exits between the listing and the signal.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

let owner: { uid: number; gid: number } | undefined;

function postgresUser(): { uid: number; gid: number } {
  if (owner) return owner;
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((line) => line.startsWith('postgres:'));
  const [, , uid, gid] = passwd?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(
      `running as ${userInfo().username}, and there is no 'postgres' user to run PostgreSQL as (initdb refuses root)`,
    );
  }
  owner = { uid: Number(uid), gid: Number(gid) };
  return owner;
}

/** Runs one of PostgreSQL's programs, as `postgres` when this process is root, from `cwd`. */
async function runAsOwner(program: string, args: readonly string[], cwd: string): Promise<void> {
  const [command, commandArgs] = isRoot()
    ? ['runuser', ['-u', 'postgres', '--', program, ...args]]
    : [program, [...args]];
  try {
    await run(command, commandArgs, { cwd, env: withoutPgSettings() });
  } catch (error) {
    const failed = error as Error & { stderr?: string; stdout?: string };
    throw new Error(
      `${program} ${args.join(' ')}: ${(failed.stderr || failed.stdout || failed.message).trim()}`,
    );
  }
}

// PGDATA, PGPORT and the like in the caller's environment would redirect the programs.
function withoutPgSettings(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PG')));
}

function logTail(log: string): string {
  return existsSync(log) ? readFileSync(log, 'utf8').slice(-3_000) : '(no server log)';
}
