import { apiConfigSchema } from './api-config';
import { loadConfig } from './load-config';
import { problemsOf } from './test-fixtures';

const API_KEYS = 'shop=shop-key-0123456789abcdef,crm=crm-key-0123456789abcdef,ops=ops-key-0123456789abcdef';
const load = (env: Record<string, string>) => () => loadConfig(apiConfigSchema, { API_KEYS, ...env });

describe('sender id settings', () => {
  it('reads each client list, the list of the others and the default froms, numbers without +', () => {
    const config = load({
      CLIENT_SENDER_IDS: 'shop=ACME|+5730012*|+573009999999,crm=CRM',
      DEFAULT_SENDER_IDS: 'INFO',
      CLIENT_DEFAULT_FROM: 'shop=+573001200001,crm=CRM,ops=INFO',
    })();
    expect(config.CLIENT_SENDER_IDS?.get('shop')).toEqual([
      { kind: 'exact', sender: 'ACME' },
      { kind: 'numberPrefix', digits: '5730012' },
      { kind: 'exact', sender: '573009999999' },
    ]);
    expect(config.DEFAULT_SENDER_IDS).toEqual([{ kind: 'exact', sender: 'INFO' }]);
    expect(config.CLIENT_DEFAULT_FROM).toEqual(
      new Map([
        ['shop', '573001200001'],
        ['crm', 'CRM'],
        ['ops', 'INFO'],
      ]),
    );
  });

  it('leaves every client free to use any from when none of them is set', () => {
    const config = load({})();
    expect(config.CLIENT_SENDER_IDS).toBeUndefined();
    expect(config.DEFAULT_SENDER_IDS).toBeUndefined();
    expect(config.CLIENT_DEFAULT_FROM).toBeUndefined();
  });

  it("refuses a default from outside its client's list, naming the client, the from and the list", () => {
    expect(
      problemsOf(
        load({
          CLIENT_SENDER_IDS: 'shop=ACME|+5730012*',
          DEFAULT_SENDER_IDS: 'INFO',
          CLIENT_DEFAULT_FROM: 'shop=Acme,crm=CRM,ops=INFO',
        }),
      ),
    ).toEqual([
      'CLIENT_DEFAULT_FROM: the from "Acme" of client "shop" is not one of its CLIENT_SENDER_IDS',
      'CLIENT_DEFAULT_FROM: the from "CRM" of client "crm" is not one of its DEFAULT_SENDER_IDS',
    ]);
  });

  it('takes any default from for a client without a list when DEFAULT_SENDER_IDS is unset', () => {
    expect(load({ CLIENT_DEFAULT_FROM: 'crm=CRM' })().CLIENT_DEFAULT_FROM?.get('crm')).toBe('CRM');
  });

  it('lists every malformed entry at once', () => {
    expect(
      problemsOf(
        load({
          CLIENT_SENDER_IDS: 'shop=ACME*,crm=,nobody=CRM',
          DEFAULT_SENDER_IDS: '*',
          CLIENT_DEFAULT_FROM: 'shop=A VERY LONG NAME,crm=+57*',
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^CLIENT_SENDER_IDS: client "shop": "ACME\*" is not a sender id/),
      'CLIENT_SENDER_IDS: client "crm": needs sender ids separated by |, e.g. ACME|+5730012*',
      expect.stringMatching(/^DEFAULT_SENDER_IDS: "\*" is not a sender id/),
      expect.stringMatching(/^CLIENT_DEFAULT_FROM: client "shop": "from" must be 3 to 15 digits/),
      expect.stringMatching(/^CLIENT_DEFAULT_FROM: client "crm": "from" must be/),
      'CLIENT_SENDER_IDS: client "nobody" is not a client of API_KEYS',
    ]);
  });
});
