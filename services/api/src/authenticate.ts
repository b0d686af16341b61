import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error';

export type Authenticate = (authorization: string | undefined) => string;

export interface AuthenticatorOptions {
  /**
   * Also take the key as the password of `Authorization: Basic` (any user name), which is what a
   * browser sends after its login prompt. @defaultValue false
   */
  readonly basic?: boolean;
}

/**
 * Builds the check of `Authorization: Bearer <key>` against the configured keys, returning the
 * client's name. Keys are compared as SHA-256 digests with `timingSafeEqual`, and every key is
 * compared, so the time taken reveals neither a key's prefix nor which key matched.
 */
export function createAuthenticator(
  keys: ReadonlyMap<string, string>,
  options: AuthenticatorOptions = {},
): Authenticate {
  const match = createSecretMatcher(keys);
  const howTo = options.basic
    ? 'send the key as "Authorization: Bearer <key>", or as the password of Basic authentication'
    : 'send the API key as "Authorization: Bearer <key>"';
  return (authorization) => {
    const key = presentedKey(authorization ?? '', options.basic === true);
    if (key === undefined) throw new ApiError(4030, howTo);
    const client = match(key);
    if (client === undefined) throw new ApiError(4030, 'the API key is not valid');
    return client;
  };
}

/**
 * The owner of a presented secret, among `secrets` (secret to owner), or undefined. Secrets are
 * compared as SHA-256 digests with `timingSafeEqual`, every one of them, so the time taken
 * reveals neither a secret's prefix nor which one matched.
 */
export function createSecretMatcher(
  secrets: ReadonlyMap<string, string>,
): (presented: string) => string | undefined {
  const digests = [...secrets].map(([secret, owner]) => ({ digest: sha256(secret), owner }));
  return (presented) => {
    const digest = sha256(presented);
    let owner: string | undefined;
    for (const entry of digests) {
      if (timingSafeEqual(entry.digest, digest)) owner = entry.owner;
    }
    return owner;
  };
}

function presentedKey(authorization: string, basic: boolean): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) return bearer[1];
  if (!basic) return undefined;
  return basicCredentials(authorization)?.password || undefined;
}

/** The user and password of `Authorization: Basic`, or undefined for another or a malformed one. */
export function basicCredentials(authorization: string): { user: string; password: string } | undefined {
  const credentials = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization);
  if (!credentials) return undefined;
  // RFC 7617: the user name ends at the first colon; the password may hold colons.
  const decoded = Buffer.from(credentials[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1
    ? { user: decoded, password: '' }
    : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
