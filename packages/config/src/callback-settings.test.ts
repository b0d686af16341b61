import { apiConfigSchema } from './api-config';
import { loadConfig } from './load-config';
import { problemsOf, workerEnv } from './test-fixtures';
import { workerConfigSchema } from './worker-config';

const load = (env: Record<string, string>) => () => loadConfig(workerConfigSchema, { ...workerEnv, ...env });

describe('callback settings', () => {
  it('reads allow-lists, default URLs and secrets, one a line or comma-separated', () => {
    const config = load({
      CALLBACK_ALLOWED_HOSTS: 'shop=hooks.shop.internal|http://localhost:4000,crm=crm.internal:8443',
      CALLBACK_DEFAULT_URLS: 'shop=https://hooks.shop.internal/sms',
      CALLBACK_SECRETS: 'shop=shop-secret-0123456789\ncrm=crm-secret-0123456789\n',
    })();
    expect(config.CALLBACK_ALLOWED_HOSTS?.get('shop')).toEqual([
      { protocol: 'https:', hostname: 'hooks.shop.internal', port: 443 },
      { protocol: 'http:', hostname: 'localhost', port: 4000 },
    ]);
    expect(config.CALLBACK_DEFAULT_URLS?.get('shop')).toBe('https://hooks.shop.internal/sms');
    expect(config.CALLBACK_SECRETS?.get('crm')).toBe('crm-secret-0123456789');
    expect(config.CALLBACK_ATTEMPTS).toBe(12);
  });

  it('lists every problem at once, without echoing a secret', () => {
    expect(
      problemsOf(
        load({
          CALLBACK_ALLOWED_HOSTS: 'shop=hooks.shop.internal/path,crm=crm.internal',
          CALLBACK_DEFAULT_URLS: 'crm=https://elsewhere.example/',
          CALLBACK_SECRETS: 'crm=short,s3cr3t-without-client-0123',
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^CALLBACK_ALLOWED_HOSTS: client "shop": .*without a path/),
      expect.stringMatching(/^CALLBACK_SECRETS: client "crm": the secret must be at least 16/),
      expect.stringMatching(/^CALLBACK_SECRETS: entry "s3cr…" must look like client=secret/),
      'CALLBACK_DEFAULT_URLS: the URL of client "crm" is not on its CALLBACK_ALLOWED_HOSTS',
      'CALLBACK_SECRETS: client "crm" of CALLBACK_ALLOWED_HOSTS has no secret to sign its callbacks with',
    ]);
  });
});

describe('callback settings of the API', () => {
  const apiEnv = { API_KEYS: 'shop=k3y-0f-the-shop-0123,crm=k3y-0f-the-crm-45678' };
  const loadApi = (env: Record<string, string>) => () => loadConfig(apiConfigSchema, { ...apiEnv, ...env });

  it('takes allow-lists and default URLs of clients of API_KEYS', () => {
    const config = loadApi({
      CALLBACK_ALLOWED_HOSTS: 'shop=hooks.shop.internal,crm=crm.internal',
      CALLBACK_DEFAULT_URLS: 'shop=https://hooks.shop.internal/sms',
    })();
    expect([...(config.CALLBACK_ALLOWED_HOSTS?.keys() ?? [])]).toEqual(['shop', 'crm']);
    expect(config.CALLBACK_DEFAULT_URLS?.get('shop')).toBe('https://hooks.shop.internal/sms');
  });

  it('refuses a client that API_KEYS does not know, naming the variable and the client', () => {
    expect(
      problemsOf(
        loadApi({
          CALLBACK_ALLOWED_HOSTS: 'shop=hooks.shop.internal,sohp=hooks.shop.internal',
          CALLBACK_DEFAULT_URLS: 'sohp=https://hooks.shop.internal/sms',
        }),
      ),
    ).toEqual([
      'CALLBACK_ALLOWED_HOSTS: client "sohp" is not a client of API_KEYS',
      'CALLBACK_DEFAULT_URLS: client "sohp" is not a client of API_KEYS',
    ]);
  });

  it('reports an unknown client together with the other problems', () => {
    expect(
      problemsOf(
        loadApi({
          CALLBACK_ALLOWED_HOSTS: 'shop=hooks.shop.internal/path,nobody=hooks.nobody.internal',
          CALLBACK_DEFAULT_URLS: 'crm=https://crm.internal/sms',
          CLIENT_QUOTAS: 'ghost=5/s',
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^CALLBACK_ALLOWED_HOSTS: client "shop": .*without a path/),
      'CALLBACK_DEFAULT_URLS: the URL of client "crm" is not on its CALLBACK_ALLOWED_HOSTS',
      'CLIENT_QUOTAS: client "ghost" is not a client of API_KEYS',
      'CALLBACK_ALLOWED_HOSTS: client "nobody" is not a client of API_KEYS',
    ]);
  });

  it('leaves the worker, which has no API_KEYS, to take any client', () => {
    const config = load({
      CALLBACK_ALLOWED_HOSTS: 'nobody=hooks.nobody.internal',
      CALLBACK_DEFAULT_URLS: 'nobody=https://hooks.nobody.internal/sms',
      CALLBACK_SECRETS: 'nobody=nobody-secret-0123456789',
    })();
    expect(config.CALLBACK_DEFAULT_URLS?.get('nobody')).toBe('https://hooks.nobody.internal/sms');
  });
});
