import { apiConfigSchema } from './api-config';
import { parseClientQuota } from './client-quotas';
import { loadConfig } from './load-config';
import { problemsOf } from './test-fixtures';

const apiEnv = { API_KEYS: 'shop=k3y-0f-the-shop-0123,crm=k3y-0f-the-crm-45678' };

describe('parseClientQuota', () => {
  it.each([
    ['50/s:100000/d', { requestsPerSecond: 50, messagesPerDay: 100_000 }],
    ['100000/d:50/s', { requestsPerSecond: 50, messagesPerDay: 100_000 }],
    ['50/s', { requestsPerSecond: 50 }],
    ['100000/d', { messagesPerDay: 100_000 }],
    [' 5/s : 10/d ', { requestsPerSecond: 5, messagesPerDay: 10 }],
    ['none', {}],
  ])('reads %p', (text, quota) => {
    expect(parseClientQuota(text)).toEqual({ quota });
  });

  it.each([
    ['', /"" is not one of limits like 50\/s:100000\/d/],
    ['0/s', /"0\/s" is not one of/],
    ['50/m', /"50\/m" is not one of/],
    ['50', /"50" is not one of/],
    ['-5/s', /"-5\/s" is not one of/],
    ['1.5/s', /"1\.5\/s" is not one of/],
    ['50/s,10/d', /is not one of/],
    ['none:50/s', /"none" is not one of/],
    ['5/s:6/s', /has two \/s limits/],
    ['1000000000/d', /is not one of/],
  ])('refuses %p, saying why', (text, reason) => {
    const parsed = parseClientQuota(text);
    expect(parsed).toEqual({ problem: expect.stringMatching(reason) });
  });
});

describe('CLIENT_QUOTAS and DEFAULT_CLIENT_QUOTA', () => {
  it('maps each listed client to its quota, and leaves the default unset (no limit)', () => {
    const config = loadConfig(apiConfigSchema, { ...apiEnv, CLIENT_QUOTAS: 'shop=50/s:100000/d, crm=none' });
    expect(config.CLIENT_QUOTAS).toEqual(
      new Map([
        ['shop', { requestsPerSecond: 50, messagesPerDay: 100_000 }],
        ['crm', {}],
      ]),
    );
    expect(config.DEFAULT_CLIENT_QUOTA).toBeUndefined();
  });

  it('reads a default quota', () => {
    const config = loadConfig(apiConfigSchema, { ...apiEnv, DEFAULT_CLIENT_QUOTA: '20/s:50000/d' });
    expect(config.DEFAULT_CLIENT_QUOTA).toEqual({ requestsPerSecond: 20, messagesPerDay: 50_000 });
  });

  it('reports every bad entry, each naming the variable and the client', () => {
    const problems = problemsOf(() =>
      loadConfig(apiConfigSchema, {
        ...apiEnv,
        CLIENT_QUOTAS: 'shop=50/x,crm=5/s,crm=6/s,=5/s,nobody=5/s',
        DEFAULT_CLIENT_QUOTA: 'unlimited',
      }),
    );
    expect(problems).toEqual([
      'CLIENT_QUOTAS: the limits of client "shop": "50/x" is not one of limits like 50/s:100000/d (N/s requests per second, N/d messages per day), or none',
      'CLIENT_QUOTAS: client "crm" is listed twice',
      'CLIENT_QUOTAS: entry "=5/s" must look like client=50/s:100000/d',
      'DEFAULT_CLIENT_QUOTA: "unlimited" is not one of limits like 50/s:100000/d (N/s requests per second, N/d messages per day), or none',
      // Checked against API_KEYS even while other variables are wrong.
      'CLIENT_QUOTAS: client "nobody" is not a client of API_KEYS',
    ]);
  });

  it('refuses a batch body limit below the single message body limit', () => {
    expect(
      problemsOf(() =>
        loadConfig(apiConfigSchema, { ...apiEnv, MAX_BODY_BYTES: '65536', MAX_BATCH_BODY_BYTES: '2048' }),
      ),
    ).toEqual(['MAX_BATCH_BODY_BYTES: must not be below MAX_BODY_BYTES']);
  });
});
