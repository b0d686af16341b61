import { createHash, timingSafeEqual } from 'node:crypto';
import { KAARAI_CODES, type KaaraiCode } from '@sms/contracts';
import type { SimulatorSettings } from './simulator-settings';

/** What the send endpoint looks at in a request, already read off the wire. */
export interface SendRequest {
  /** The `Content-Type` header, if any. */
  readonly contentType: string | undefined;
  /** The `Authorization` header, if any. */
  readonly authorization: string | undefined;
  /** The body as UTF-8 text. */
  readonly body: string;
  /** True when the body was longer than the simulator reads; `body` is then incomplete. */
  readonly bodyTooLarge?: boolean;
}

export interface SmsInput {
  readonly to: string;
  readonly from: string | null;
  readonly text: string;
}

export type SendCheck =
  | { readonly ok: true; readonly user: string; readonly sms: SmsInput }
  | { readonly ok: false; readonly code: KaaraiCode; readonly message: string };

/** Digits with the country code, no `+`: 7 to 15 digits, as E.164 allows. */
const RECEIVER_NUMBER = /^[1-9][0-9]{6,14}$/;

/**
 * Checks a send request as Kaarai does, in its order: content type (4000), credentials (4030),
 * JSON body (4000), receiver (4001, 4003), text (4002), block list (4031).
 */
export function checkSendRequest(settings: SimulatorSettings, request: SendRequest): SendCheck {
  const mediaType = (request.contentType ?? '').split(';', 1)[0]!.trim();
  if (mediaType.toLowerCase() !== 'application/json')
    return reject(4000, `Invalid content-type: ${mediaType}`);

  const credentials = parseBasicAuth(request.authorization);
  if (credentials === undefined || !sameCredentials(credentials, settings)) {
    return reject(4030, `Authorization failed for user: ${credentials?.user ?? ''}`);
  }

  const body = request.bodyTooLarge ? undefined : parseJsonObject(request.body);
  if (body === undefined)
    return reject(4000, request.bodyTooLarge ? 'Request body too large' : 'Invalid JSON body');

  const { to, text, from } = body;
  if (to === undefined || to === null || to === '') return reject(4001);
  if (typeof to !== 'string' || !RECEIVER_NUMBER.test(to)) return reject(4003);
  if (typeof text !== 'string' || text === '') return reject(4002);
  if (settings.blockedPrefixes.some((prefix) => to.startsWith(prefix))) return reject(4031);

  return {
    ok: true,
    user: credentials.user,
    sms: { to, from: typeof from === 'string' ? from : null, text },
  };
}

function reject(code: KaaraiCode, message: string = KAARAI_CODES[code].text): SendCheck {
  return { ok: false, code, message };
}

interface Credentials {
  readonly user: string;
  readonly password: string | undefined;
}

function parseBasicAuth(header: string | undefined): Credentials | undefined {
  const match = header === undefined ? null : /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1
    ? { user: decoded, password: undefined }
    : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Compares digests, so that the time taken says nothing about how much of the secret matched. */
function sameCredentials(given: Credentials, settings: SimulatorSettings): boolean {
  if (given.password === undefined) return false;
  const digest = (user: string, password: string) =>
    createHash('sha256').update(`${user}:${password}`).digest();
  return timingSafeEqual(digest(given.user, given.password), digest(settings.user, settings.password));
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
