import { z } from 'zod';
import { envInt } from './env-types';
import { sharedConfigShape } from './shared-config';

const CLIENT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** `name=key,name2=key2` into a map from key to client name. */
const apiKeys = z.string().transform((value, ctx) => {
  const keys = new Map<string, string>();
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf('=');
    const name = entry.slice(0, separator);
    const key = entry.slice(separator + 1);
    if (separator < 1 || !CLIENT_NAME.test(name)) {
      // Never echo the entry whole: without "=" it may be a bare key.
      const shown = separator < 1 ? entry.slice(0, 4) : name.slice(0, 16);
      ctx.addIssue({ code: 'custom', message: `entry "${shown}…" must look like client=key` });
    } else if (key.length < 16) {
      ctx.addIssue({ code: 'custom', message: `the key of client "${name}" must be at least 16 characters` });
    } else if (keys.has(key)) {
      ctx.addIssue({ code: 'custom', message: `client "${name}" reuses another client's key` });
    } else {
      keys.set(key, name);
    }
  }
  if (keys.size === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one client=key entry' });
  return keys;
});

export const apiConfigSchema = z.object({
  ...sharedConfigShape,
  API_PORT: envInt(0, 65_535).default(8080).describe('Port of the HTTP API. Default 8080.'),
  API_HOST: z.string().default('0.0.0.0').describe('Address the HTTP API listens on. Default 0.0.0.0.'),
  API_KEYS: apiKeys.describe(
    'Required. Callers and their keys as client=key pairs, comma-separated; keys of 16+ characters. Secret: use API_KEYS_FILE.',
  ),
  MAX_TEXT_LENGTH: envInt(1, 10_000)
    .default(1_600)
    .describe('Longest accepted text, in characters. Default 1600.'),
  MAX_BODY_BYTES: envInt(256, 1_048_576)
    .default(16_384)
    .describe('Largest accepted request body, in bytes; larger ones get 413. Default 16384.'),
  SEND_ATTEMPTS: envInt(1, 100)
    .default(8)
    .describe('Attempts to deliver a message to Kaarai before it ends as failed. Default 8.'),
  DEFAULT_VALIDITY_SECONDS: envInt(30, 604_800)
    .default(14_400)
    .describe(
      'How long a message stays worth sending when the request has no validFor, in seconds. Default 14400 (4 h).',
    ),
  MAX_VALIDITY_SECONDS: envInt(30, 604_800)
    .default(172_800)
    .describe('Longest validFor a request may ask for, in seconds. Default 172800 (48 h).'),
  ENQUEUE_TIMEOUT_MS: envInt(100, 30_000)
    .default(1_500)
    .describe('How long a request may wait for Redis before it is answered 503, in ms. Default 1500.'),
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
