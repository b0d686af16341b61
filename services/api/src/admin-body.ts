import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';
import { jsonBody, requireJson } from './json-body';

// The bodies of the operators' routes are a handful of fields.
const MAX_BODY_BYTES = 4_096;

/**
 * Reads an optional JSON body: a body is optional, but one that is sent must be JSON, since a
 * filter that went unread would widen a replay to everything.
 */
export function readAdminBody(): (req: Request, res: Response, next: NextFunction) => void {
  const parseBody = jsonBody(MAX_BODY_BYTES);
  return (req, res, next) => {
    const hasBody = req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
    if (!hasBody) return next();
    requireJson(req, res, () => parseBody(req, res, next));
  };
}

/** An optional JSON object body with only the given fields. */
export function adminBodyOf(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(4007, 'the body must be a JSON object');
  }
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) {
      throw new ApiError(4006, `unknown field "${key}"; allowed: ${allowed.join(', ')}`, key);
    }
  }
  return body as Record<string, unknown>;
}
