import type { CallbackOrigin } from '@sms/contracts';
import { callbackUrlProblem, isCallbackUrlAllowed, parseCallbackOrigin } from '@sms/contracts';
import { z } from 'zod';
import { CLIENT_NAME } from './client-name';
import { envInt } from './env-types';

/**
 * `client=value` entries, separated by commas or new lines (a mounted file holds one a line),
 * into a map; `parse` turns one value into what the map holds, or says why it cannot.
 */
export function clientEntries<T>(
  what: string,
  parse: (value: string, client: string) => T | { problem: string },
) {
  return z.string().transform((text, ctx) => {
    const entries = new Map<string, T>();
    const items = text
      .split(/[,\n]/)
      .map((item) => item.trim())
      .filter((item) => item !== '' && !item.startsWith('#'));
    if (items.length === 0)
      ctx.addIssue({ code: 'custom', message: `needs at least one client=${what} entry` });
    for (const item of items) {
      const separator = item.indexOf('=');
      const client = item.slice(0, separator).trim();
      if (separator < 1 || !CLIENT_NAME.test(client)) {
        // Never echo the entry whole: in CALLBACK_SECRETS it may be a bare secret.
        ctx.addIssue({
          code: 'custom',
          message: `entry "${item.slice(0, 4)}…" must look like client=${what}`,
        });
        continue;
      }
      const parsed = parse(item.slice(separator + 1).trim(), client);
      if (typeof parsed === 'object' && parsed !== null && 'problem' in parsed) {
        ctx.addIssue({ code: 'custom', message: `client "${client}": ${parsed.problem}` });
      } else if (entries.has(client)) {
        ctx.addIssue({ code: 'custom', message: `client "${client}" is listed twice` });
      } else {
        entries.set(client, parsed as T);
      }
    }
    return entries;
  });
}

/** CALLBACK_ALLOWED_HOSTS: `client=host|host:port|http://host:port`, into each client's origins. */
export function callbackAllowedHosts() {
  return clientEntries<readonly CallbackOrigin[]>('host|host', (value) => {
    const origins: CallbackOrigin[] = [];
    for (const entry of value.split('|').filter((e) => e.trim() !== '')) {
      const origin = parseCallbackOrigin(entry);
      if ('problem' in origin) return origin;
      origins.push(origin);
    }
    return origins.length > 0 ? origins : { problem: 'needs at least one host' };
  });
}

/** CALLBACK_DEFAULT_URLS: `client=url`, the URL each client's messages call back without a callbackUrl. */
export function callbackDefaultUrls() {
  return clientEntries<string>('https://host/path', (url) => {
    const problem = callbackUrlProblem(url);
    return problem === undefined ? url : { problem: `the URL ${problem}` };
  });
}

/** CALLBACK_SECRETS: `client=secret`, the keys callbacks are signed with. */
export function callbackSecrets() {
  return clientEntries<string>('secret', (secret) =>
    secret.length >= 16 ? secret : { problem: 'the secret must be at least 16 characters' },
  );
}

/** The callback settings that the API (which refuses a callbackUrl) and the worker share. */
export const callbackConfigShape = {
  CALLBACK_ALLOWED_HOSTS: callbackAllowedHosts()
    .optional()
    .describe(
      'Where each client (named as in API_KEYS) may have status callbacks sent, as client=hosts pairs, comma-separated; hosts separated by | as host (https, port 443), host:port (https) or http://host:port (plain http, local use only), e.g. shop=hooks.shop.internal|hooks2.shop.internal:8443. A callbackUrl elsewhere is refused (400, 4014) and never called. Default none (no callbacks).',
    ),
  CALLBACK_DEFAULT_URLS: callbackDefaultUrls()
    .optional()
    .describe(
      "Each client's callback URL for messages sent without a callbackUrl, as client=url pairs, comma-separated, clients named as in API_KEYS; each must be on the client's CALLBACK_ALLOWED_HOSTS. Default none.",
    ),
  // Shared: whoever queues an event (the API a cancellation, the worker the rest) sets its attempts.
  CALLBACK_ATTEMPTS: envInt(1, 100)
    .default(12)
    .describe(
      'Attempts to deliver one status callback before it is given up (counted, logged, kept for a replay: sms callbacks replay); the next event of the message follows. Default 12.',
    ),
  CALLBACK_FAILED_RETENTION_SECONDS: envInt(3_600, 31_536_000)
    .default(604_800)
    .describe(
      'How long a status callback given up after CALLBACK_ATTEMPTS is kept for a replay, in seconds; older ones are removed by a periodic sweep of the workers. Default 604800 (7 days).',
    ),
};

/**
 * Problems between the callback variables, as [variable, message] pairs: a default URL off its
 * client's allow-list would be refused at every delivery.
 */
export function callbackConfigProblems(config: Record<string, unknown>): [string, string][] {
  const allowed: unknown = config.CALLBACK_ALLOWED_HOSTS;
  const defaults: unknown = config.CALLBACK_DEFAULT_URLS;
  if (!(defaults instanceof Map)) return [];
  const origins = allowed instanceof Map ? (allowed as Map<string, CallbackOrigin[]>) : new Map();
  return [...(defaults as Map<string, string>)]
    .filter(([client, url]) => !isCallbackUrlAllowed(url, origins.get(client) ?? []))
    .map(([client]) => [
      'CALLBACK_DEFAULT_URLS',
      `the URL of client "${client}" is not on its CALLBACK_ALLOWED_HOSTS`,
    ]);
}
