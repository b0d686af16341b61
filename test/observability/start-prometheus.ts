import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, waitFor } from '@sms/testing';

const OUTPUT_LINES_KEPT = 200;
const POST_ENDPOINTS = new Set(['query', 'query_range', 'series', 'labels']);

/** A real Prometheus server run by a test, with its HTTP API. */
export interface RunningPrometheus {
  /** e.g. `http://127.0.0.1:24567`. */
  readonly url: string;
  /** The data of a successful `/api/v1/...` answer; throws with Prometheus' error otherwise. */
  api<T>(path: string, params?: Readonly<Record<string, string | readonly string[]>>): Promise<T>;
  /** Its last lines of output, for failure messages. */
  output(): string;
  /** SIGTERM, SIGKILL after 10 s; removes its configuration and data. */
  stop(): Promise<void>;
}

/**
 * Starts `prometheus` (Debian's `prometheus` package) on a free port with `config` as its
 * configuration file, written with `files` (e.g. rule files) into a temporary directory, and
 * resolves once it is ready. Fails with an install hint when `prometheus` is missing.
 */
export async function startPrometheus(
  config: string,
  files: Readonly<Record<string, string>> = {},
): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'sms-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), config);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
  };
  createInterface({ input: child.stdout! }).on('line', keep);
  createInterface({ input: child.stderr! }).on('line', keep);
  const exited = new Promise<string>((done) => {
    child.once('close', (code, signal) => done(`exited (code ${code}, signal ${signal})`));
    child.once('error', (error) =>
      done(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'is not installed: install Debian\'s "prometheus" package (apt-get install prometheus), as .ci/run does'
          : `could not start (${error.message})`,
      ),
    );
  });
  const output = () => lines.join('\n');
  const stop = async () => {
    await stopChild(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };

  const controller = new AbortController();
  try {
    await Promise.race([
      waitFor(async () => (await fetch(`${url}/-/ready`, { signal: controller.signal })).ok, {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: 'prometheus to be ready',
        signal: controller.signal,
      }),
      exited.then((how) => {
        throw new Error(`prometheus ${how}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; its output:\n${output()}`);
  } finally {
    controller.abort(new Error('given up'));
  }

  return {
    url,
    api: async <T>(path: string, params: Readonly<Record<string, string | readonly string[]>> = {}) => {
      const body = new URLSearchParams();
      for (const [key, value] of Object.entries(params)) {
        for (const one of typeof value === 'string' ? [value] : value) body.append(key, one);
      }
      // Queries go as a form body (they may be long); the other endpoints take GET only.
      const response = POST_ENDPOINTS.has(path)
        ? await fetch(`${url}/api/v1/${path}`, { method: 'POST', body })
        : await fetch(`${url}/api/v1/${path}?${body}`);
      const answer = (await response.json()) as { status: string; data: T; error?: string };
      if (answer.status !== 'success')
        throw new Error(`prometheus ${path} ${JSON.stringify(params)}: ${answer.error}`);
      return answer.data;
    },
    output,
    stop,
  };
}

async function stopChild(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((done) => {
    timer = setTimeout(() => done('late'), 10_000);
  });
  const result = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (result === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
}
