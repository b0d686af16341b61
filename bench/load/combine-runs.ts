import type { MeasuredLoad } from './run-autocannon';

/** Rounds of one target added up. */
export interface CombinedLoad {
  readonly ok: number;
  /** 2xx answers over the total measured time. */
  readonly okPerSecond: number;
  /** CPU microseconds of the named processes (all of them when several) over every 2xx answer. */
  readonly cpuPerOk: number;
  /** Latencies averaged over the rounds. */
  readonly p50: number;
  readonly p99: number;
}

/** Rounds added up: rates over the total time, CPU over every answer, latencies averaged. */
export function combineRuns(runs: readonly MeasuredLoad[], ...processes: readonly string[]): CombinedLoad {
  const ok = runs.reduce((sum, run) => sum + run.load.ok, 0);
  const seconds = runs.reduce((sum, run) => sum + run.load.seconds, 0);
  const cpu = runs.reduce(
    (sum, run) => sum + processes.reduce((own, name) => own + (run.cpuMicros[name] ?? 0), 0),
    0,
  );
  const mean = (pick: (run: MeasuredLoad) => number) =>
    runs.reduce((sum, run) => sum + pick(run), 0) / runs.length;
  return {
    ok,
    okPerSecond: ok / seconds,
    cpuPerOk: cpu / ok,
    p50: mean((run) => run.load.latencyMs.p50),
    p99: mean((run) => run.load.latencyMs.p99),
  };
}
