import { z } from 'zod';

/** An integer variable within bounds. */
export function envInt(min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}

/** An integer variable within bounds that is `fallback` when unset. */
export function envIntOr(min: number, max: number, fallback: number) {
  return envInt(min, max).default(fallback);
}

/** A port to listen on (0 picks a free one), `fallback` when unset. */
export function envPort(fallback: number) {
  return envIntOr(0, 65_535, fallback);
}

/** An address to listen on: every interface unless set. */
export function envListenHost() {
  return z.string().default('0.0.0.0');
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

/** A switch that is off unless set. */
export function envFlag() {
  return envBoolean().default(false);
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

/** Where a Redis server or sentinel listens. */
export interface RedisAddress {
  readonly host: string;
  readonly port: number;
}

// host:port, [v6 address]:port, or a host alone.
const ADDRESS = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9_.-]+))(?::(\d{1,5}))?$/;

/**
 * A comma-separated list of `host:port` (IPv6 as `[::1]:6379`), at least one; an address without
 * a port gets `defaultPort`.
 */
export function envAddressList(defaultPort: number) {
  return envList().transform((items, ctx) => {
    if (items.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one host:port' });
    const addresses: RedisAddress[] = [];
    for (const item of items) {
      const match = ADDRESS.exec(item);
      const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
      if (!match || port < 1 || port > 65_535) {
        ctx.addIssue({ code: 'custom', message: `"${item.slice(0, 64)}" is not a host:port` });
      } else {
        addresses.push({ host: (match[1] ?? match[2])!, port });
      }
    }
    return addresses;
  });
}
