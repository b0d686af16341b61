import { printable } from './format-table';

/** One line of a record: its name and its value; fields without a value are left out. */
export type Field = readonly [name: string, value: string | undefined];

/** A record as `name  value` lines, values aligned; control characters in values are shown, not obeyed. */
export function formatFields(fields: readonly Field[]): string {
  const shown = fields.filter((field): field is readonly [string, string] => field[1] !== undefined);
  const width = Math.max(0, ...shown.map(([name]) => name.length));
  return shown.map(([name, value]) => `${name.padEnd(width)}  ${printable(value)}`).join('\n');
}
