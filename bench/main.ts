// `pnpm bench`: runs the benchmark scenarios against real processes (redis-server, the Kaarai
// simulator, the API and worker services, baselines and load generators each in their own
// process), prints one table and writes the figures as JSON. See BENCHMARKS.md.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseBenchOptions } from './bench-options';
import { BENCH_SIZES } from './bench-sizes';
import { openBenchEnvironment, startBenchInfrastructure } from './harness/bench-environment';
import { summarizeProfiles } from './profile/summarize-profiles';
import { formatTable, type TableRow } from './report/format-table';
import { machineInfo } from './report/machine-info';
import { writeResults } from './report/write-results';
import { meetsTarget, ratioOf, type ScenarioResult } from './scenario';
import { SCENARIOS } from './scenarios';

async function main(): Promise<number> {
  const options = parseBenchOptions(
    process.argv.slice(2),
    SCENARIOS.map((scenario) => scenario.name),
  );
  const startedAt = new Date();
  const machine = machineInfo();
  const sizes = BENCH_SIZES[options.mode];
  const selected = SCENARIOS.filter((s) => options.only.length === 0 || options.only.includes(s.name));
  const profileRoot = options.profile
    ? join(options.outDir, `profiles-${startedAt.toISOString().replace(/[:.]/g, '-')}`)
    : undefined;
  const log = (message: string) => process.stderr.write(`[bench ${elapsed(startedAt)}] ${message}\n`);
  log(
    `${options.mode} run of ${selected.map((s) => s.name).join(', ')} on ${machine.nproc} x ${machine.cpuModel}`,
  );

  const earlier = new Map<string, ScenarioResult>();
  const rows: TableRow[] = [];
  const scenarios: Record<string, unknown> = {};
  const infrastructure = await startBenchInfrastructure();
  try {
    for (const scenario of selected) {
      log(`${scenario.name}: ${scenario.title}`);
      const scenarioStarted = performance.now();
      const profileDir = profileRoot === undefined ? undefined : join(profileRoot, scenario.name);
      if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
      try {
        const result = await scenario.run({
          sizes,
          log: (message) => log(`${scenario.name}: ${message}`),
          profileDir,
          earlier,
          environment: () => openBenchEnvironment(infrastructure),
        });
        earlier.set(scenario.name, result);
        if (result.skipped !== undefined) log(`${scenario.name} skipped: ${result.skipped}`);
        if (result.skipped !== undefined) rows.push({ scenario: scenario.name, skipped: result.skipped });
        for (const figure of result.figures) rows.push({ scenario: scenario.name, figure });
        scenarios[scenario.name] = {
          title: scenario.title,
          seconds: (performance.now() - scenarioStarted) / 1000,
          figures: result.figures.map((figure) => ({
            ...figure,
            ratio: ratioOf(figure),
            met: meetsTarget(figure),
          })),
          details: result.details,
          ...(result.skipped !== undefined && { skipped: result.skipped }),
        };
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`${scenario.name} FAILED: ${message}`);
        rows.push({ scenario: scenario.name, error: message });
        scenarios[scenario.name] = { title: scenario.title, error: message };
      }
    }
  } finally {
    await infrastructure.stop();
  }

  const profiles = profileRoot === undefined ? undefined : summarizeProfiles(profileRoot);
  const table = formatTable(rows);
  const loadAtEnd = machineInfo().loadAverage;
  const file = writeResults(options.outDir, options.mode, startedAt, {
    mode: options.mode,
    command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: { ...machine, loadAverageAtEnd: loadAtEnd },
    sizes,
    scenarios,
    ...(profiles && { profiles }),
  });

  process.stdout.write(
    `\n${options.mode} run, ${machine.nproc} x ${machine.cpuModel}, Node ${machine.node}, Redis ${machine.redis}, ` +
      `load average ${machine.loadAverage.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end\n`,
  );
  process.stdout.write(`${table}\n\nratio = value / baseline. Results: ${file}\n`);
  if (profiles) process.stdout.write(`\n${profiles.text}\n`);
  return rows.some((row) => row.error !== undefined) ? 1 : 0;
}

function elapsed(since: Date): string {
  return `${((Date.now() - since.getTime()) / 1000).toFixed(0).padStart(4)} s`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
