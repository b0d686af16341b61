import type { BenchSizes } from './bench-sizes';
import type { BenchEnvironment } from './harness/bench-environment';

/** A limit a figure should meet: on its value or on its ratio to the baseline. */
export interface Target {
  readonly on: 'value' | 'ratio';
  readonly op: '>=' | '<=';
  readonly limit: number;
}

/** One line of the results table. `ratio` is always value / baseline. */
export interface Figure {
  readonly figure: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number };
  readonly target?: Target;
}

export interface ScenarioResult {
  readonly figures: readonly Figure[];
  /** Everything else measured, for the JSON file: counts, CPU of each process, settings. */
  readonly details: Record<string, unknown>;
  /** Why the scenario measured nothing (e.g. a peer that is not installed); its figures are empty. */
  readonly skipped?: string;
}

export interface ScenarioContext {
  readonly sizes: BenchSizes;
  /** The shared Redis and simulator, emptied for this scenario; `stop()` it to stop its services. */
  environment(): Promise<BenchEnvironment>;
  /** Progress lines, on stderr so that stdout holds only the table. */
  log(message: string): void;
  /** With `--profile`: the folder where this scenario's services write CPU profiles. */
  readonly profileDir: string | undefined;
  /** Results of the scenarios that ran before this one in the same run. */
  readonly earlier: ReadonlyMap<string, ScenarioResult>;
}

export interface Scenario {
  /** Used by `--only` and in the table. */
  readonly name: string;
  readonly title: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

export function ratioOf(figure: Figure): number | undefined {
  if (figure.baseline === undefined || figure.baseline.value === 0) return undefined;
  return figure.value / figure.baseline.value;
}

/** Whether the figure meets its target; undefined when it has none (or no ratio to judge). */
export function meetsTarget(figure: Figure): boolean | undefined {
  const { target } = figure;
  if (target === undefined) return undefined;
  const measured = target.on === 'value' ? figure.value : ratioOf(figure);
  if (measured === undefined) return undefined;
  return target.op === '>=' ? measured >= target.limit : measured <= target.limit;
}
