import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error';

export type Authenticate = (authorization: string | undefined) => string;

/**
 * Builds the check of `Authorization: Bearer <key>` against the configured keys, returning the
 * client's name. Keys are compared as SHA-256 digests with `timingSafeEqual`, and every key is
 * compared, so the time taken reveals neither a key's prefix nor which key matched.
 */
export function createAuthenticator(keys: ReadonlyMap<string, string>): Authenticate {
  const digests = [...keys].map(([key, client]) => ({ digest: sha256(key), client }));
  return (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new ApiError(4030, 'send the API key as "Authorization: Bearer <key>"');
    const presented = sha256(match[1]!);
    let client: string | undefined;
    for (const entry of digests) {
      if (timingSafeEqual(entry.digest, presented)) client = entry.client;
    }
    if (client === undefined) throw new ApiError(4030, 'the API key is not valid');
    return client;
  };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
