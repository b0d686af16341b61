/**
 * Where status callbacks may go: a scheme, a host and a port, which a callback URL must all
 * match. Hosts are compared as the WHATWG URL parser writes them (lower case, punycode, IPv4 in
 * dotted decimal), so `HOOKS.example` and `0x7f.1` cannot slip past an entry spelled otherwise.
 */
export interface CallbackOrigin {
  readonly protocol: 'https:' | 'http:';
  readonly hostname: string;
  readonly port: number;
}

/** Longest callback URL accepted, in characters. */
export const MAX_CALLBACK_URL_LENGTH = 2_048;

const DEFAULT_PORTS = { 'https:': 443, 'http:': 80 } as const;

function originOf(url: URL): CallbackOrigin | undefined {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  return { protocol: url.protocol, hostname: url.hostname, port };
}

/**
 * One entry of a client's allow-list: `host` or `host:port` for https (port 443 when left out),
 * or `http://host:port` for a receiver allowed over plain http (local use only).
 */
export function parseCallbackOrigin(entry: string): CallbackOrigin | { readonly problem: string } {
  const text = entry.trim();
  const explicit = /^[a-z]+:\/\//i.test(text);
  const url = URL.parse(explicit ? text : `https://${text}`);
  const origin = url && originOf(url);
  if (!url || !origin || url.username !== '' || url.password !== '' || url.hostname === '') {
    return { problem: `"${text.slice(0, 64)}" is not a host, host:port or http://host:port` };
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    return { problem: `"${text.slice(0, 64)}" must name a host and port only, without a path` };
  }
  return origin;
}

/** Why `text` cannot be a callback URL at all, whatever the allow-list; undefined when it can. */
export function callbackUrlProblem(text: string): string | undefined {
  if (text.length > MAX_CALLBACK_URL_LENGTH) return `is longer than ${MAX_CALLBACK_URL_LENGTH} characters`;
  const url = URL.parse(text);
  if (!url || !originOf(url))
    return 'must be an absolute https:// URL (or http:// to an origin on the allow-list)';
  // Credentials in a URL end up in logs and proxies; the signature is the receiver's proof.
  if (url.username !== '' || url.password !== '') return 'must not hold a user or password';
  if (url.hash !== '') return 'must not have a #fragment';
  return undefined;
}

/** True when `text` is a callback URL whose scheme, host and port are all on `allowed`. */
export function isCallbackUrlAllowed(text: string, allowed: readonly CallbackOrigin[]): boolean {
  if (callbackUrlProblem(text) !== undefined) return false;
  const origin = originOf(new URL(text))!;
  return allowed.some(
    (entry) =>
      entry.protocol === origin.protocol && entry.hostname === origin.hostname && entry.port === origin.port,
  );
}
