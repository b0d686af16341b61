import { z } from 'zod';
import { CLIENT_NAME } from './client-name';
import { envList } from './env-types';

/** What one client may send; a limit left out is no limit. */
export interface ClientQuota {
  /** Requests to the send routes per second; a batch is one request. */
  readonly requestsPerSecond?: number;
  /** Messages accepted per UTC calendar day; a batch of N messages is N. */
  readonly messagesPerDay?: number;
}

const NO_LIMIT = 'none';
const LIMIT = /^([1-9][0-9]{0,8})\/([sd])$/;
const UNIT_FIELDS = { s: 'requestsPerSecond', d: 'messagesPerDay' } as const;
const HOW_TO = `limits like 50/s:100000/d (N/s requests per second, N/d messages per day), or ${NO_LIMIT}`;

/**
 * `50/s:100000/d`, `50/s`, `100000/d` or `none` into a `ClientQuota`; otherwise the reason it is
 * not one, to be shown after the variable's name.
 */
export function parseClientQuota(text: string): { quota: ClientQuota } | { problem: string } {
  const value = text.trim();
  if (value === NO_LIMIT) return { quota: {} };
  const quota: { requestsPerSecond?: number; messagesPerDay?: number } = {};
  for (const part of value.split(':').map((p) => p.trim())) {
    const match = LIMIT.exec(part);
    if (!match) return { problem: `"${part.slice(0, 32)}" is not one of ${HOW_TO}` };
    const field = UNIT_FIELDS[match[2] as keyof typeof UNIT_FIELDS];
    if (quota[field] !== undefined) return { problem: `has two /${match[2]} limits` };
    quota[field] = Number(match[1]);
  }
  return { quota };
}

/** DEFAULT_CLIENT_QUOTA: one quota, for every client that CLIENT_QUOTAS does not name. */
export function clientQuota() {
  return z.string().transform((value, ctx): ClientQuota => {
    const parsed = parseClientQuota(value);
    if ('quota' in parsed) return parsed.quota;
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  });
}

/** CLIENT_QUOTAS: `client=limits` pairs, comma-separated, into a map from client to quota. */
export function clientQuotas() {
  return envList().transform((entries, ctx) => {
    const quotas = new Map<string, ClientQuota>();
    if (entries.length === 0)
      ctx.addIssue({ code: 'custom', message: 'needs at least one client=limits entry' });
    for (const entry of entries) {
      const separator = entry.indexOf('=');
      const client = entry.slice(0, separator).trim();
      if (separator < 1 || !CLIENT_NAME.test(client)) {
        ctx.addIssue({
          code: 'custom',
          message: `entry "${entry.slice(0, 40)}" must look like client=50/s:100000/d`,
        });
        continue;
      }
      const parsed = parseClientQuota(entry.slice(separator + 1));
      if ('problem' in parsed) {
        ctx.addIssue({ code: 'custom', message: `the limits of client "${client}": ${parsed.problem}` });
      } else if (quotas.has(client)) {
        ctx.addIssue({ code: 'custom', message: `client "${client}" is listed twice` });
      } else {
        quotas.set(client, parsed.quota);
      }
    }
    return quotas;
  });
}
