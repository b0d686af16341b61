import { createHmac, timingSafeEqual } from 'node:crypto';
import { CALLBACK_REPLAY_WINDOW_SECONDS } from './callback-event';

/**
 * The `Sms-Signature` header of a callback body: HMAC-SHA256, keyed with the client's secret,
 * of the time in Unix seconds, a dot and the body's exact bytes. The time is signed with the
 * body so that a captured request cannot be replayed later than the receiver's window.
 */
export function callbackSignature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * What a receiver checks: the header is well formed, its time within `windowSeconds` of
 * `nowSeconds`, and one of its `v1` values is the body's HMAC under `secret`. The gateway's own
 * tests use it; the README shows the same steps for receivers.
 */
export function verifyCallbackSignature(
  header: string | undefined,
  body: string,
  secret: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  windowSeconds: number = CALLBACK_REPLAY_WINDOW_SECONDS,
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const time = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(time) || Math.abs(nowSeconds - time) > windowSeconds) return false;
  const expected = Buffer.from(callbackSignature(secret, body, time).split('v1=')[1]!, 'hex');
  return parts
    .filter(([key, value]) => key === 'v1' && value !== undefined)
    .some(([, value]) => {
      const given = Buffer.from(value!, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}
