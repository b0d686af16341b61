import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { findKannel } from '../bench/peer/start-kannel';
import { SCENARIOS } from '../bench/scenarios';

// `pnpm bench --smoke` run as a real child process, as a developer runs it: proves that every
// scenario still starts its processes, measures and reports. No figure is asserted: on a shared
// machine timings prove nothing, and benchmarks are not tests.
const REPO_ROOT = resolve(__dirname, '..');
const NAMES = SCENARIOS.map((scenario) => scenario.name);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The root package.json's `bench` script, run through the shell with `args` added. */
function runBenchScript(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const command = `${pkg.scripts.bench} ${args.join(' ')}`;
  return new Promise((done) => {
    const child = spawn(command, { cwd: REPO_ROOT, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('runs every scenario in smoke mode, prints the whole table and writes the JSON', async () => {
  const run = await runBenchScript(['--smoke', '--out', out]);
  expect({ code: run.code, output: run.code === 0 ? '' : `${run.stdout}\n${run.stderr}` }).toEqual({
    code: 0,
    output: '',
  });

  const rows = run.stdout.split('\n').filter((line) => line.startsWith('| '));
  expect(rows[0]).toMatch(/^\| scenario +\| figure +\| value +\| baseline +\| ratio +\| target +\| met +\|$/);
  for (const name of NAMES) {
    const own = rows.filter((row) => row.startsWith(`| ${name} `));
    expect(own.length).toBeGreaterThan(0);
    expect(own.filter((row) => row.includes('FAILED'))).toEqual([]);
  }

  const files = readdirSync(out).filter((file) => /^bench-smoke-.+\.json$/.test(file));
  expect(files).toHaveLength(1);
  const results = JSON.parse(readFileSync(join(out, files[0]!), 'utf8')) as {
    mode: string;
    machine: { nproc: number; node: string };
    scenarios: Record<string, { error?: string; skipped?: string; figures?: Array<{ value: unknown }> }>;
  };
  expect(results.mode).toBe('smoke');
  expect(results.machine.node).toBe(process.version);
  expect(Object.keys(results.scenarios).sort()).toEqual([...NAMES].sort());
  for (const name of NAMES) {
    const scenario = results.scenarios[name]!;
    expect({ name, error: scenario.error }).toEqual({ name, error: undefined });
    // A scenario against a peer that is not installed (Kannel for `peer`) says so instead.
    if (scenario.skipped !== undefined) {
      expect(rows.filter((row) => row.startsWith(`| ${name} `) && row.includes('skipped'))).toHaveLength(1);
      continue;
    }
    expect(scenario.figures?.length).toBeGreaterThan(0);
    for (const figure of scenario.figures ?? []) expect(Number.isFinite(figure.value)).toBe(true);
  }
  // Generous: the run takes well under a minute, but CI runs other test files beside it.
}, 240_000);

it('reports the peer scenario as skipped, and succeeds, where Kannel is not installed', async () => {
  // PATH without the folders that hold Kannel's boxes, as on a machine without the kannel package.
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => findKannel(dir) === undefined)
    .join(delimiter);
  const run = await runBenchScript(['--smoke', '--only', 'peer', '--out', out], {
    ...process.env,
    PATH: path,
  });
  expect({ code: run.code, output: run.code === 0 ? '' : `${run.stdout}\n${run.stderr}` }).toEqual({
    code: 0,
    output: '',
  });
  const rows = run.stdout.split('\n').filter((line) => line.startsWith('| peer '));
  expect(rows).toEqual([
    expect.stringMatching(/^\| peer +\| skipped +\| bearerbox \(Kannel\) is not on PATH/),
  ]);
}, 120_000);
