/** The result of checking one field or one whole body: a value, or what is wrong with it. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: string[] };

/** Checks one field's value; returns the problem as a sentence fragment, e.g. `must be a number`. */
export type FieldParser<T> = (value: unknown) => { readonly value: T } | { readonly problem: string };

export type FieldTable<V> = { readonly [K in keyof V]-?: FieldParser<V[K]> };

/**
 * Checks a partial-update body against a table of field parsers. Every problem is reported,
 * not only the first, and a field that is not in the table is a problem: a typo in a test's
 * fault setting must fail loudly rather than silently leave the fault off.
 */
export function parseFields<V>(body: unknown, table: FieldTable<V>): Parsed<Partial<V>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: ['body: must be a JSON object'] };
  }
  const known = Object.keys(table);
  const values: Partial<V> = {};
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(body)) {
    if (!Object.hasOwn(table, key)) {
      problems.push(`${key}: unknown field (known: ${known.join(', ')})`);
      continue;
    }
    const parsed = table[key as keyof V](raw);
    if ('problem' in parsed) problems.push(`${key}: ${parsed.problem}`);
    else values[key as keyof V] = parsed.value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: values };
}

export function share(value: unknown) {
  return typeof value === 'number' && value >= 0 && value <= 1
    ? { value }
    : { problem: 'must be a number from 0 to 1' };
}

export function count(value: unknown) {
  return Number.isSafeInteger(value) && (value as number) >= 0
    ? { value: value as number }
    : { problem: 'must be a whole number, 0 or more' };
}

export function millis(max: number): FieldParser<number> {
  return (value) =>
    Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= max
      ? { value: value as number }
      : { problem: `must be a whole number of milliseconds from 0 to ${max}` };
}
