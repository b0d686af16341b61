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
  const digests = [...keys].map(([key, client]) => ({ digest: sha256(key), client }));
  const howTo = options.basic
    ? 'send the key as "Authorization: Bearer <key>", or as the password of Basic authentication'
    : 'send the API key as "Authorization: Bearer <key>"';
  return (authorization) => {
    const key = presentedKey(authorization ?? '', options.basic === true);
    if (key === undefined) throw new ApiError(4030, howTo);
    const presented = sha256(key);
    let client: string | undefined;
    for (const entry of digests) {
      if (timingSafeEqual(entry.digest, presented)) client = entry.client;
    }
    if (client === undefined) throw new ApiError(4030, 'the API key is not valid');
    return client;
  };
}

function presentedKey(authorization: string, basic: boolean): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) return bearer[1];
  if (!basic) return undefined;
  const credentials = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization);
  if (!credentials) return undefined;
  // RFC 7617: the user name ends at the first colon; the password may hold colons.
  const decoded = Buffer.from(credentials[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon === -1 ? '' : decoded.slice(colon + 1);
  return password === '' ? undefined : password;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
