import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header the gateway signs each status callback in: `t=<unix seconds>,v1=<hex HMAC>`. */
export const SIGNATURE_HEADER = 'sms-signature';

/** How far a callback's signed time may be from this clock, in seconds, as the gateway documents. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A callback's headers: Node's `req.headers`, a fetch `Headers`, or a plain object. */
export type CallbackHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyCallbackOptions {
  /** Seconds the signed time may be from `nowSeconds`. @defaultValue 300 */
  readonly toleranceSeconds?: number;
  /** This clock, in Unix seconds. @defaultValue now */
  readonly nowSeconds?: number;
}

function signatureOf(headers: CallbackHeaders): string | undefined {
  if (typeof headers.get === 'function')
    return (headers as { get(name: string): string | null }).get(SIGNATURE_HEADER) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const name = Object.keys(record).find((key) => key.toLowerCase() === SIGNATURE_HEADER);
  const value = name === undefined ? undefined : record[name];
  // A header sent twice is not one signature: refuse rather than pick one.
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether a status callback comes from the gateway: its `Sms-Signature` is well formed, its time
 * within the tolerance of this clock, and one of its `v1` values is the HMAC-SHA256 under
 * `secret` of `<t>.<body>`, compared in constant time. `body` must be the bytes as received,
 * before any JSON parsing.
 */
export function verifyCallback(
  body: string | Uint8Array,
  headers: CallbackHeaders,
  secret: string,
  options: VerifyCallbackOptions = {},
): boolean {
  const header = signatureOf(headers);
  if (header === undefined) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const time = Number(parts.find(([key]) => key === 't')?.[1]);
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1_000);
  if (
    !Number.isInteger(time) ||
    Math.abs(now - time) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)
  )
    return false;
  const expected = createHmac('sha256', secret).update(`${time}.`).update(body).digest();
  return parts
    .filter(([key, value]) => key === 'v1' && value !== undefined && /^[0-9a-f]+$/i.test(value))
    .some(([, value]) => {
      const given = Buffer.from(value!, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
