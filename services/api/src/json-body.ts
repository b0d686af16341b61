import { isUtf8 } from 'node:buffer';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ApiError } from './api-error';
import { findDuplicateKey } from './find-duplicate-key';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Refuses (4000) a request whose Content-Type is not `application/json`, or names a charset
 * other than UTF-8: RFC 8259 §8.1 makes JSON between systems UTF-8, and body-parser would
 * otherwise decode UTF-16 and UTF-32 too.
 */
export function requireJson(req: Request, _res: Response, next: NextFunction): void {
  const type = req.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(
      4000,
      `Invalid content-type: ${type.slice(0, 100) || '(none)'}; send application/json`,
    );
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type)?.[1];
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    throw new ApiError(4000, `Invalid charset: ${charset.slice(0, 40)}; send the body as UTF-8`);
  }
  next();
}

/**
 * Parses the body as JSON (any Content-Type: `requireJson` has checked it), up to `maxBytes`.
 * Before parsing, refuses (4007) what JSON.parse would let through or read silently differently
 * from other parsers: bytes that are not UTF-8 (they would become U+FFFD), a byte order mark
 * (which senders must not add, RFC 8259 §8.1), a name twice in one object.
 */
export function jsonBody(maxBytes: number): RequestHandler {
  return express.json({
    limit: maxBytes,
    type: () => true,
    strict: false,
    verify: (_req, _res, body) => {
      if (!isUtf8(body)) throw new ApiError(4007, 'the body is not valid UTF-8');
      if (body.subarray(0, 3).equals(UTF8_BOM)) {
        throw new ApiError(4007, 'the body must not start with a byte order mark');
      }
      const name = findDuplicateKey(body.toString('utf8'));
      if (name !== undefined) {
        throw new ApiError(4007, `the body has the name "${name.slice(0, 64)}" twice in one object`);
      }
    },
  });
}
