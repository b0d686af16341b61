import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { callbackSignature } from '@sms/contracts';

// The verification snippet for receivers in docs/api.md, run as printed against the gateway's own
// signatures: it accepts them, and refuses another secret, a changed body and an old time.
type Verify = (body: string, header: string, secret: string, toleranceSeconds?: number) => boolean;

const page = readFileSync(resolve(__dirname, '../../docs/api.md'), 'utf8');
const section = page.slice(page.indexOf('## Status callbacks'));
const snippet = /```js\n([\s\S]*?)```/.exec(section)![1]!;
const context: { require: NodeRequire; Buffer: typeof Buffer; verifySmsCallback?: Verify } = {
  require,
  Buffer,
};
runInNewContext(snippet, context);
const verify = context.verifySmsCallback!;

const secret = 'shop-callback-secret-0123456789';
const body =
  '{"id":"m:1","sequence":1,"messageId":"m","status":"accepted","code":2020,"at":"2026-01-01T00:00:00.000Z"}';
const now = () => Math.floor(Date.now() / 1000);

it('accepts what the gateway signs', () => {
  expect(verify(body, callbackSignature(secret, body, now()), secret)).toBe(true);
});

it('refuses another secret, a changed body and a time outside the window', () => {
  const header = callbackSignature(secret, body, now());
  expect(verify(body, header, 'another-secret-0123456789')).toBe(false);
  expect(verify(body.replace('accepted', 'failed'), header, secret)).toBe(false);
  expect(verify(body, callbackSignature(secret, body, now() - 301), secret)).toBe(false);
  expect(verify(body, 't=abc,v1=00', secret)).toBe(false);
});
