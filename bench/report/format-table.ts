import { type Figure, meetsTarget, ratioOf, type Target } from '../scenario';

/** One row of the table: a figure of a scenario, or a scenario that failed or was skipped. */
export interface TableRow {
  readonly scenario: string;
  readonly figure?: Figure;
  readonly error?: string;
  /** Why the scenario measured nothing. */
  readonly skipped?: string;
}

export const TABLE_HEADER = ['scenario', 'figure', 'value', 'baseline', 'ratio', 'target', 'met'] as const;

/** The results as a Markdown table: readable in a terminal, and pasted as is into BENCHMARKS.md. */
export function formatTable(rows: readonly TableRow[]): string {
  const cells = rows.map((row) =>
    row.figure ? figureCells(row.scenario, row.figure) : row.skipped ? skippedCells(row) : errorCells(row),
  );
  const all = [[...TABLE_HEADER], ...cells];
  const widths = TABLE_HEADER.map((_, column) => Math.max(...all.map((line) => line[column]!.length)));
  const line = (values: readonly string[]) =>
    `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(all[0]!), rule, ...cells.map(line)].join('\n');
}

function figureCells(scenario: string, figure: Figure): string[] {
  const ratio = ratioOf(figure);
  const met = meetsTarget(figure);
  return [
    scenario,
    figure.figure,
    `${formatNumber(figure.value)} ${figure.unit}`,
    figure.baseline ? `${formatNumber(figure.baseline.value)} (${figure.baseline.name})` : '-',
    ratio === undefined ? '-' : ratio.toFixed(2),
    figure.target ? formatTarget(figure.target, figure.unit) : '-',
    met === undefined ? '-' : met ? 'yes' : 'NO',
  ];
}

function errorCells(row: TableRow): string[] {
  return [row.scenario, 'FAILED', (row.error ?? '').split('\n')[0]!.slice(0, 80), '-', '-', '-', 'NO'];
}

function skippedCells(row: TableRow): string[] {
  return [row.scenario, 'skipped', (row.skipped ?? '').slice(0, 100), '-', '-', '-', '-'];
}

function formatTarget(target: Target, unit: string): string {
  return target.on === 'ratio'
    ? `ratio ${target.op} ${target.limit}`
    : `${target.op} ${formatNumber(target.limit)} ${unit}`;
}

/** Three significant digits at most, thousands grouped: 12,345 / 123 / 12.3 / 1.23. */
export function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 || magnitude === 0 ? 0 : magnitude >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
