import { parseSenderIdPattern, type SenderIdPattern, type ValidationResult } from '@sms/contracts';
import { createCheckSenderId } from './check-sender-id';

const ids = (...texts: string[]) => texts.map((text) => parseSenderIdPattern(text) as SenderIdPattern);
const message = (from?: string): ValidationResult => ({
  ok: true,
  value: { to: '573001234567', text: 'hi', ...(from !== undefined && { from }) },
});
const refused = (from: string, list: string): ValidationResult => ({
  ok: false,
  error: {
    code: 4032,
    field: 'from',
    message: `"from" "${from}" is not one of this client's sender ids: ${list}`,
  },
});

describe('createCheckSenderId', () => {
  const check = createCheckSenderId({
    byClient: new Map([
      ['shop', ids('ACME', '+5730012*')],
      ['crm', ids('CRM')],
    ]),
    defaultFrom: new Map([['shop', 'ACME']]),
  });
  const strict = createCheckSenderId({ byClient: new Map([['crm', ids('CRM')]]), others: ids('INFO') });

  it.each([
    ['a listed id', check, 'shop', message('ACME'), message('ACME')],
    ['a number of the range', check, 'shop', message('573001200000'), message('573001200000')],
    ['the default without from', check, 'shop', message(), message('ACME')],
    ['no default: Kaarai picks', check, 'crm', message(), message()],
    ['an id off the list', check, 'shop', message('CRM'), refused('CRM', 'ACME|5730012*')],
    ['a client in no list, without DEFAULT_SENDER_IDS', check, 'other', message('ANY'), message('ANY')],
    ['a client in no list, with DEFAULT_SENDER_IDS', strict, 'other', message('ANY'), refused('ANY', 'INFO')],
    ['its own list over DEFAULT_SENDER_IDS', strict, 'crm', message('INFO'), refused('INFO', 'CRM')],
  ] as const)('%s', (_case, rule, client, given, expected) => {
    expect(rule(client, given)).toEqual(expected);
  });

  it('passes an earlier refusal through untouched', () => {
    const invalid: ValidationResult = { ok: false, error: { code: 4003, field: 'to', message: 'bad' } };
    expect(check('shop', invalid)).toBe(invalid);
  });

  it('leaves every from alone without settings', () => {
    expect(createCheckSenderId()('shop', message('ANY'))).toEqual(message('ANY'));
  });
});
