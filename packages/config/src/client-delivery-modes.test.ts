import { apiConfigSchema } from './api-config';
import { loadConfig } from './load-config';
import { problemsOf } from './test-fixtures';

const apiEnv = { API_KEYS: 'shop=k3y-0f-the-shop-0123,crm=k3y-0f-the-crm-45678' };

describe('CLIENT_DELIVERY_MODES', () => {
  it('maps each listed client to its delivery mode', () => {
    const config = loadConfig(apiConfigSchema, {
      ...apiEnv,
      CLIENT_DELIVERY_MODES: 'shop=at-most-once, crm = at-least-once',
    });
    expect(config.CLIENT_DELIVERY_MODES).toEqual(
      new Map([
        ['shop', 'at-most-once'],
        ['crm', 'at-least-once'],
      ]),
    );
  });

  it('is unset by default: every client gets at-least-once', () => {
    expect(loadConfig(apiConfigSchema, apiEnv).CLIENT_DELIVERY_MODES).toBeUndefined();
  });

  it('reports every bad entry, each naming the variable and the client', () => {
    const problems = problemsOf(() =>
      loadConfig(apiConfigSchema, {
        ...apiEnv,
        CLIENT_DELIVERY_MODES:
          'shop=exactly-once,crm=at-most-once,crm=at-least-once,=at-most-once,nobody=at-most-once',
      }),
    );
    expect(problems).toEqual([
      'CLIENT_DELIVERY_MODES: the mode of client "shop" must be one of at-least-once, at-most-once, not "exactly-once"',
      'CLIENT_DELIVERY_MODES: client "crm" is listed twice',
      'CLIENT_DELIVERY_MODES: entry "=at-most-once" must look like client=at-most-once',
      'CLIENT_DELIVERY_MODES: client "nobody" is not a client of API_KEYS',
    ]);
  });
});
