import { z } from 'zod';

/** An integer variable within bounds. */
export function envInt(min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}

/** A decimal variable within bounds, for shares and ratios. */
export function envNumber(min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`), so that a typo is an error rather than `false`. */
export function envBoolean() {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
}

/** A comma-separated list; blanks around items are ignored. */
export function envList() {
  return z.string().transform((v) =>
    v
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
}

export function envUrl() {
  return z.url({ error: 'must be a URL such as https://host/path' });
}
