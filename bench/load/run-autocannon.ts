import { spawnBenchChild } from '../harness/bench-child';
import { CpuMeter } from '../harness/process-cpu';
import type { AutocannonJob, AutocannonResult } from './autocannon-job';

export interface MeasuredLoad {
  readonly load: AutocannonResult;
  /** Answers in the 2xx range per second of the measured run. */
  readonly okPerSecond: number;
  /** CPU microseconds used by each named process during the measured run (warm-up excluded). */
  readonly cpuMicros: Record<string, number>;
}

/**
 * Runs `job` with autocannon in a child process and measures the CPU time of `pids` over the
 * measured run only (after the warm-up).
 */
export async function runAutocannon(
  job: AutocannonJob,
  pids: Readonly<Record<string, number | undefined>>,
): Promise<MeasuredLoad> {
  const child = spawnBenchChild('load/autocannon-child.ts', ['--job', JSON.stringify(job)]);
  try {
    await child.next('warm', (job.warmupSeconds + 60) * 1000);
    const meter = CpuMeter.start(pids);
    child.send('go');
    const load = await child.next<{ event: 'result' } & AutocannonResult>(
      'result',
      (job.durationSeconds + 120) * 1000,
    );
    const cpuMicros = meter.read();
    child.send('exit');
    if (load.ok === 0) throw new Error(`no 2xx answer from ${job.url}: ${JSON.stringify(load)}`);
    return { load, okPerSecond: load.ok / load.seconds, cpuMicros };
  } finally {
    await child.stop();
  }
}
