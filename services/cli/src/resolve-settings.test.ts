import { resolveSettings } from './resolve-settings';

describe('resolveSettings', () => {
  it('defaults to the local API and a 10 s timeout, with the key from the environment', () => {
    expect(resolveSettings({ json: false }, { SMS_API_KEY: 'client-key' }, 'client')).toEqual({
      ok: true,
      settings: { apiUrl: 'http://127.0.0.1:8080', key: 'client-key', timeoutMs: 10_000, json: false },
    });
  });

  it('prefers the options to the environment, and takes the key the command needs', () => {
    const env = { SMS_API_URL: 'http://env:1', SMS_API_KEY: 'env-client', SMS_ADMIN_KEY: 'env-admin' };
    const globals = { url: 'https://gw.example/sms/', key: 'opt-client', timeout: '0.5', json: true };
    expect(resolveSettings(globals, env, 'client')).toEqual({
      ok: true,
      settings: { apiUrl: 'https://gw.example/sms', key: 'opt-client', timeoutMs: 500, json: true },
    });
    expect(resolveSettings(globals, env, 'admin')).toMatchObject({ settings: { key: 'env-admin' } });
    expect(resolveSettings({ json: false }, env, 'client')).toMatchObject({
      settings: { apiUrl: 'http://env:1', key: 'env-client' },
    });
  });

  it('sends the dlq commands to the internal port, where the API serves /v1/admin', () => {
    expect(resolveSettings({ json: false }, { SMS_ADMIN_KEY: 'admin' }, 'admin')).toMatchObject({
      settings: { apiUrl: 'http://127.0.0.1:9101', key: 'admin' },
    });
    const env = { SMS_API_URL: 'http://gw:8080', SMS_ADMIN_URL: 'http://gw:9101', SMS_ADMIN_KEY: 'admin' };
    expect(resolveSettings({ json: false }, env, 'admin')).toMatchObject({
      settings: { apiUrl: 'http://gw:9101' },
    });
    expect(resolveSettings({ adminUrl: 'http://other:1', json: false }, env, 'admin')).toMatchObject({
      settings: { apiUrl: 'http://other:1' },
    });
    expect(resolveSettings({ adminUrl: 'ftp://x', json: false }, env, 'admin')).toEqual({
      ok: false,
      message: '--admin-url (or SMS_ADMIN_URL) must be http:// or https://, not "ftp://x"',
    });
  });

  it('counts an empty variable as unset', () => {
    expect(resolveSettings({ json: false }, { SMS_API_URL: '', SMS_API_KEY: 'k' }, 'client')).toMatchObject({
      settings: { apiUrl: 'http://127.0.0.1:8080' },
    });
    expect(resolveSettings({ json: false }, { SMS_ADMIN_KEY: '' }, 'admin').ok).toBe(false);
  });

  it.each([
    [{}, {}, 'client', 'needs a client key (API_KEYS): give --key KEY or set SMS_API_KEY'],
    [
      { key: 'k' },
      {},
      'admin',
      'needs an operator key (ADMIN_API_KEYS): give --admin-key KEY or set SMS_ADMIN_KEY',
    ],
    [{ key: 'k\n' }, {}, 'client', 'the key of --key (or SMS_API_KEY) must be printable ASCII'],
    [{ key: 'k', url: 'localhost:8080' }, {}, 'client', 'must be http:// or https://'],
    [{ key: 'k', url: 'not a url' }, {}, 'client', 'is not a URL: "not a url"'],
    [{ key: 'k', url: 'http://api/?x=1' }, {}, 'client', 'takes no query or fragment'],
    [{ key: 'k', timeout: '0' }, {}, 'client', '--timeout must be a number of seconds above 0, at most 600'],
    [{ key: 'k', timeout: '10s' }, {}, 'client', '--timeout must be'],
    [{ key: 'k', timeout: '601' }, {}, 'client', '--timeout must be'],
  ] as const)('refuses %p with %p for a %s command', (globals, env, kind, message) => {
    const result = resolveSettings({ json: false, ...globals }, env, kind);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });
});
