import { callbackUrlProblem, isCallbackUrlAllowed, parseCallbackOrigin } from './callback-url';

const origins = (...entries: string[]) =>
  entries.map((entry) => {
    const origin = parseCallbackOrigin(entry);
    if ('problem' in origin) throw new Error(origin.problem);
    return origin;
  });

describe('parseCallbackOrigin', () => {
  it.each([
    ['hooks.shop.internal', { protocol: 'https:', hostname: 'hooks.shop.internal', port: 443 }],
    ['HOOKS.Shop.internal:8443', { protocol: 'https:', hostname: 'hooks.shop.internal', port: 8443 }],
    ['http://localhost:4000', { protocol: 'http:', hostname: 'localhost', port: 4000 }],
    ['http://127.0.0.1', { protocol: 'http:', hostname: '127.0.0.1', port: 80 }],
    ['[::1]:9000', { protocol: 'https:', hostname: '[::1]', port: 9000 }],
  ])('reads %s', (entry, origin) => {
    expect(parseCallbackOrigin(entry)).toEqual(origin);
  });

  it.each(['ftp://hooks.shop.internal', 'hooks.shop.internal/path', 'user@hooks.shop.internal', ''])(
    'refuses %j',
    (entry) => {
      expect(parseCallbackOrigin(entry)).toEqual({ problem: expect.any(String) });
    },
  );
});

describe('isCallbackUrlAllowed', () => {
  const allowed = origins('hooks.shop.internal', 'http://localhost:4000', '10.1.2.3');

  it.each([
    'https://hooks.shop.internal/sms?x=1',
    'https://HOOKS.shop.internal:443/sms',
    'http://localhost:4000/callbacks',
    'https://10.1.2.3/sms',
  ])('allows %s', (url) => {
    expect(isCallbackUrlAllowed(url, allowed)).toBe(true);
  });

  it.each([
    // Another scheme or port than the entry names.
    'http://hooks.shop.internal/sms',
    'https://hooks.shop.internal:8443/sms',
    'https://localhost:4000/callbacks',
    // Names that only look like an allowed one.
    'https://hooks.shop.internal.attacker.example/sms',
    'https://attacker.example/?hooks.shop.internal',
    'https://hooks.shop.internal@attacker.example/',
    // Addresses that are not listed, however local.
    'https://127.0.0.1/sms',
    'https://[::1]/sms',
  ])('refuses %s', (url) => {
    expect(isCallbackUrlAllowed(url, allowed)).toBe(false);
  });

  it('refuses everything with an empty allow-list', () => {
    expect(isCallbackUrlAllowed('https://hooks.shop.internal/', [])).toBe(false);
  });

  it('compares IPv4 literals in their normal form', () => {
    expect(isCallbackUrlAllowed('https://0x0a.1.2.3/sms', origins('10.1.2.3'))).toBe(true);
  });
});

describe('callbackUrlProblem', () => {
  it.each([
    ['https://hooks.shop.internal/sms', undefined],
    [
      'ftp://hooks.shop.internal/',
      'must be an absolute https:// URL (or http:// to an origin on the allow-list)',
    ],
    ['/relative', 'must be an absolute https:// URL (or http:// to an origin on the allow-list)'],
    ['https://u:p@hooks.shop.internal/', 'must not hold a user or password'],
    ['https://hooks.shop.internal/#x', 'must not have a #fragment'],
    [`https://hooks.shop.internal/${'a'.repeat(2_048)}`, 'is longer than 2048 characters'],
  ])('%s: %s', (url, problem) => {
    expect(callbackUrlProblem(url)).toBe(problem);
  });
});
