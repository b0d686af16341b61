import { callbackSignature } from '@sms/contracts';
import { verifyCallback } from './verify-callback';

// The gateway's own signer: what the client checks must be exactly what the worker signs.
const SECRET = 'receiver-secret-0123456789';
const BODY =
  '{"id":"m:1","sequence":1,"messageId":"m","status":"accepted","code":2020,"at":"2026-01-01T00:00:00.000Z","text":"ñandú ✓"}';
const NOW = 1_767_225_600;
const signed = (time = NOW, secret = SECRET, body = BODY) => ({
  'sms-signature': callbackSignature(secret, body, time),
});

it('accepts what the gateway signs, as a string, as bytes, and from a Headers object', () => {
  expect(verifyCallback(BODY, signed(), SECRET, { nowSeconds: NOW })).toBe(true);
  expect(verifyCallback(Buffer.from(BODY), signed(), SECRET, { nowSeconds: NOW })).toBe(true);
  expect(verifyCallback(BODY, new Headers(signed()), SECRET, { nowSeconds: NOW })).toBe(true);
  expect(
    verifyCallback(BODY, { 'Sms-Signature': signed()['sms-signature'] }, SECRET, { nowSeconds: NOW }),
  ).toBe(true);
});

it('accepts a signed time up to the tolerance away, in both directions, and no further', () => {
  expect(verifyCallback(BODY, signed(NOW - 300), SECRET, { nowSeconds: NOW })).toBe(true);
  expect(verifyCallback(BODY, signed(NOW + 300), SECRET, { nowSeconds: NOW })).toBe(true);
  expect(verifyCallback(BODY, signed(NOW - 301), SECRET, { nowSeconds: NOW })).toBe(false);
  expect(verifyCallback(BODY, signed(NOW - 30), SECRET, { nowSeconds: NOW, toleranceSeconds: 10 })).toBe(
    false,
  );
});

it('refuses another body, another secret, a changed time, and malformed or missing signatures', () => {
  const header = signed()['sms-signature'];
  const mac = header.split('v1=')[1]!;
  expect(verifyCallback(BODY.replace('accepted', 'failed'), signed(), SECRET, { nowSeconds: NOW })).toBe(
    false,
  );
  expect(verifyCallback(BODY, signed(NOW, 'another-secret-0123456789'), SECRET, { nowSeconds: NOW })).toBe(
    false,
  );
  expect(
    verifyCallback(BODY, { 'sms-signature': `t=${NOW + 1},v1=${mac}` }, SECRET, { nowSeconds: NOW }),
  ).toBe(false);
  for (const bad of [
    '',
    `v1=${mac}`,
    `t=${NOW}`,
    `t=${NOW},v1=${mac.slice(2)}`,
    `t=x,v1=${mac}`,
    `t=${NOW},v1=zz`,
  ]) {
    expect(verifyCallback(BODY, { 'sms-signature': bad }, SECRET, { nowSeconds: NOW })).toBe(false);
  }
  expect(verifyCallback(BODY, {}, SECRET, { nowSeconds: NOW })).toBe(false);
  expect(verifyCallback(BODY, { 'sms-signature': [header, header] }, SECRET, { nowSeconds: NOW })).toBe(
    false,
  );
});

it('accepts a header listing several v1 values when one of them matches, as the gateway reads it', () => {
  const header = `${signed()['sms-signature']},v1=${'0'.repeat(64)}`;
  expect(verifyCallback(BODY, { 'sms-signature': header }, SECRET, { nowSeconds: NOW })).toBe(true);
});
