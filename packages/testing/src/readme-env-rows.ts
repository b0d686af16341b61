import { readFileSync } from 'node:fs';

/**
 * The rows of the variable table between a document's `env-table` markers, as `[name,
 * description]` (undefined for a row of another shape); undefined without the markers. Cells
 * may be padded to line the table up, as the formatter leaves it.
 */
export function readmeEnvRows(readmePath: string): (string[] | undefined)[] | undefined {
  const readme = readFileSync(readmePath, 'utf8');
  const table = /<!-- env-table:start -->\n([\s\S]*?)<!-- env-table:end -->/.exec(readme)?.[1];
  return table
    ?.trim()
    .split('\n')
    .slice(2)
    .map((row) => /^\| `([A-Z_]+)` +\| (.*?) *\|$/.exec(row)?.slice(1));
}

/** A configuration schema's variables as `[name, description]`, in declaration order. */
export function schemaEnvRows(schema: {
  readonly shape: Readonly<Record<string, { readonly description?: string }>>;
}): [string, string | undefined][] {
  return Object.entries(schema.shape).map(([name, field]) => [name, field.description]);
}
