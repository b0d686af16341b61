import { ConfigError, loadConfig, simulatorConfigSchema } from '@sms/config';

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(simulatorConfigSchema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('simulator configuration', () => {
  it('defaults to Kaarai on 8090, the admin API on 8091 and no faults', () => {
    expect(loadConfig(simulatorConfigSchema, {})).toMatchObject({
      KAARAI_SIM_HOST: '127.0.0.1',
      KAARAI_SIM_PORT: 8090,
      KAARAI_SIM_HTTPS_PORT: undefined,
      KAARAI_SIM_ADMIN_PORT: 8091,
      KAARAI_SIM_PATH: '/api/v1/sms/send',
      KAARAI_SIM_USER: 'gateway',
      KAARAI_SIM_PASSWORD: 'secret',
      KAARAI_SIM_BLOCKED_PREFIXES: [],
      KAARAI_SIM_BODY_STYLE: 'json',
      KAARAI_SIM_FAILURE_RATE: 0,
    });
  });

  it('reads lists and numbers', () => {
    expect(
      loadConfig(simulatorConfigSchema, {
        KAARAI_SIM_BLOCKED_PREFIXES: '999, 4477',
        KAARAI_SIM_QUEUED_SHARE: '0.25',
        KAARAI_SIM_PORT: '0',
      }),
    ).toMatchObject({
      KAARAI_SIM_BLOCKED_PREFIXES: ['999', '4477'],
      KAARAI_SIM_QUEUED_SHARE: 0.25,
      KAARAI_SIM_PORT: 0,
    });
  });

  it('lists every invalid value', () => {
    expect(
      problems({
        KAARAI_SIM_PORT: '70000',
        KAARAI_SIM_HANG_RATE: '-1',
        KAARAI_SIM_BODY_STYLE: 'xml',
        KAARAI_SIM_PATH: 'x',
      }),
    ).toEqual([
      'KAARAI_SIM_PORT: must be at most 65535',
      'KAARAI_SIM_PATH: must start with /',
      'KAARAI_SIM_BODY_STYLE: must be json, text or empty',
      'KAARAI_SIM_HANG_RATE: must be at least 0',
    ]);
  });

  it.each([
    [
      { KAARAI_SIM_HTTPS_PORT: '8443' },
      'KAARAI_SIM_HTTPS_PORT: needs KAARAI_SIM_TLS_DIR or a certificate and key file',
    ],
    [{ KAARAI_SIM_TLS_DIR: '/tls' }, 'KAARAI_SIM_HTTPS_PORT: is required when TLS is configured'],
    [
      { KAARAI_SIM_HTTPS_PORT: '8443', KAARAI_SIM_TLS_CERT_FILE: '/c.pem' },
      'KAARAI_SIM_TLS_KEY_FILE: is required with KAARAI_SIM_TLS_CERT_FILE',
    ],
    [
      {
        KAARAI_SIM_HTTPS_PORT: '8443',
        KAARAI_SIM_TLS_DIR: '/tls',
        KAARAI_SIM_TLS_CERT_FILE: '/c',
        KAARAI_SIM_TLS_KEY_FILE: '/k',
      },
      'KAARAI_SIM_TLS_DIR: set either it or the certificate and key files, not both',
    ],
    [
      {
        KAARAI_SIM_HTTPS_PORT: '8443',
        KAARAI_SIM_TLS_CERT_FILE: '/c',
        KAARAI_SIM_TLS_KEY_FILE: '/k',
        KAARAI_SIM_TLS_HOSTS: 'sim',
      },
      'KAARAI_SIM_TLS_HOSTS: applies only with KAARAI_SIM_TLS_DIR',
    ],
  ])('refuses the TLS combination %j', (env, problem) => {
    expect(problems(env)).toEqual([problem]);
  });

  it('accepts HTTPS with a TLS directory and extra host names', () => {
    expect(
      loadConfig(simulatorConfigSchema, {
        KAARAI_SIM_HTTPS_PORT: '8443',
        KAARAI_SIM_TLS_DIR: '/tls',
        KAARAI_SIM_TLS_HOSTS: 'simulator,10.0.0.7',
      }),
    ).toMatchObject({ KAARAI_SIM_TLS_HOSTS: ['simulator', '10.0.0.7'] });
  });
});
