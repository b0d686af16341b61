import type { z } from 'zod';

/** The result of checking a body: a value, or every problem with it as `field: problem`. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: string[] };

/**
 * Checks a partial-update body with its schema. Every problem is reported, one per field in the
 * order of the body, not only the first; and a field the schema does not know is a problem: a
 * typo in a test's fault setting must fail loudly rather than silently leave the fault off.
 */
export function parseAdminBody<Shape extends z.ZodRawShape>(
  body: unknown,
  schema: z.ZodObject<Shape>,
): Parsed<z.output<z.ZodObject<Shape>>> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  // A Map, not an object: the field names are the caller's (`constructor`, `__proto__`).
  const problems = new Map<string, string>();
  for (const issue of result.error.issues) {
    const [field] = issue.path;
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys(schema.shape).join(', ');
      for (const key of issue.keys) problems.set(key, `unknown field (known: ${known})`);
    } else if (field === undefined) {
      return { ok: false, problems: ['body: must be a JSON object'] };
    } else if (!problems.has(String(field))) {
      problems.set(String(field), issue.message);
    }
  }
  const order = Object.keys(body as object);
  return {
    ok: false,
    problems: [...problems]
      .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
      .map(([field, problem]) => `${field}: ${problem}`),
  };
}
