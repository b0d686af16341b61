/**
 * Makes text from Redis or the API safe to print on a terminal: control characters (a text could
 * carry an escape sequence) are shown as `\u{1b}` instead of being obeyed. `keepNewlines` for long
 * text.
 */
export function printable(text: string, keepNewlines = false): string {
  const pattern = keepNewlines ? /(?!\n)\p{Cc}/gu : /\p{Cc}/gu;
  return text.replace(pattern, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Shortens text to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}

/** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return formatColumns([headers, ...rows]);
}

/** As `formatTable`, without a header line: for lists such as the commands of a help text. */
export function formatColumns(rows: ReadonlyArray<readonly string[]>): string {
  const all = rows.map((row) => row.map((cell) => printable(cell)));
  const columns = Math.max(0, ...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(...all.map((row) => [...(row[column] ?? '')].length)),
  );
  return all
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
