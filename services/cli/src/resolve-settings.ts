import { DEFAULT_ADMIN_URL, DEFAULT_API_URL, DEFAULT_TIMEOUT_SECONDS, type KeyKind } from './command-table';
import { isHeaderValue } from './header-value';
import type { GlobalValues } from './parse-args';

/** Where and how a command talks to the API. */
export interface Settings {
  /** The API's base URL, without a trailing slash. */
  readonly apiUrl: string;
  /** The key the command needs: the client's or the operator's. */
  readonly key: string;
  /** Longest wait for each answer, in ms. */
  readonly timeoutMs: number;
  readonly json: boolean;
}

export type SettingsResult =
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly message: string };

const KEY_SOURCES = {
  client: { option: 'key', variable: 'SMS_API_KEY', what: 'a client key (API_KEYS)' },
  admin: { option: 'admin-key', variable: 'SMS_ADMIN_KEY', what: 'an operator key (ADMIN_API_KEYS)' },
} as const;
// The operators' routes are on the API's internal port, which clients cannot reach.
const URL_SOURCES = {
  client: { option: 'url', variable: 'SMS_API_URL', fallback: DEFAULT_API_URL },
  admin: { option: 'admin-url', variable: 'SMS_ADMIN_URL', fallback: DEFAULT_ADMIN_URL },
} as const;
const SECONDS = /^\d+(\.\d+)?$/;
// Long enough for any answer the API gives in time; a typo such as 10000 (ms) would hang a script.
const MAX_TIMEOUT_SECONDS = 600;

/**
 * The settings from the options, then the environment (an empty variable counts as unset), then
 * the defaults; `keyKind` is the key the command needs.
 */
export function resolveSettings(
  globals: Omit<GlobalValues, 'direct' | 'redisUrl'>,
  env: Readonly<Record<string, string | undefined>>,
  keyKind: KeyKind,
): SettingsResult {
  const where = URL_SOURCES[keyKind];
  const given = keyKind === 'client' ? globals.url : globals.adminUrl;
  const rawUrl = given ?? (env[where.variable] || where.fallback);
  const named = `--${where.option} (or ${where.variable})`;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return fail(`${named} is not a URL: "${rawUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(`${named} must be http:// or https://, not "${rawUrl}"`);
  }
  if (url.search !== '' || url.hash !== '') return fail(`${named} takes no query or fragment`);

  const source = KEY_SOURCES[keyKind];
  const key = (keyKind === 'client' ? globals.key : globals.adminKey) ?? (env[source.variable] || undefined);
  if (key === undefined) {
    return fail(`needs ${source.what}: give --${source.option} KEY or set ${source.variable}`);
  }
  if (!isHeaderValue(key))
    return fail(`the key of --${source.option} (or ${source.variable}) must be printable ASCII`);

  const timeout = globals.timeout ?? String(DEFAULT_TIMEOUT_SECONDS);
  const seconds = SECONDS.test(timeout) ? Number(timeout) : Number.NaN;
  if (!(seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS)) {
    return fail(`--timeout must be a number of seconds above 0, at most ${MAX_TIMEOUT_SECONDS}`);
  }
  return {
    ok: true,
    settings: {
      apiUrl: url.href.replace(/\/+$/, ''),
      key,
      timeoutMs: Math.round(seconds * 1000),
      json: globals.json,
    },
  };
}

function fail(message: string): SettingsResult {
  return { ok: false, message };
}
