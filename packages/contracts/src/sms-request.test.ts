import { type SmsRequest, type ValidationError, validateSmsRequest } from './sms-request';
import type { SmsRequestFieldName, ValidationLimits } from './sms-request-fields';

const limits = { maxTextLength: 20, maxValiditySeconds: 86_400 };
const valid = { to: '573001234567', text: 'Your OTP code is 1234' };
const shortText = 'Your code is 1234';

function errorOf(body: unknown, maxTextLength = limits.maxTextLength): ValidationError {
  const result = validateSmsRequest(body, { ...limits, maxTextLength });
  if (result.ok) throw new Error(`expected a validation error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('validateSmsRequest', () => {
  it('accepts a receiver and a text and returns them unchanged', () => {
    expect(validateSmsRequest({ to: '573001234567', text: shortText }, limits)).toEqual({
      ok: true,
      value: { to: '573001234567', text: shortText },
    });
  });

  it('leaves "from" out of the value when the request has none', () => {
    const result = validateSmsRequest({ to: '573001234567', text: shortText }, limits);
    expect(result.ok && Object.keys(result.value)).toEqual(['to', 'text']);
  });

  it('treats a null "from" as absent', () => {
    expect(validateSmsRequest({ to: '573001234567', text: shortText, from: null }, limits)).toEqual({
      ok: true,
      value: { to: '573001234567', text: shortText },
    });
  });

  describe('the body', () => {
    it.each([
      ['an array', [valid]],
      ['null', null],
      ['a string', 'to=573001234567&text=hi'],
      ['a number', 42],
      ['a boolean', true],
      ['undefined', undefined],
    ])('rejects %s as a body with 4007 and no field', (_name, body) => {
      const error = errorOf(body);
      expect(error.code).toBe(4007);
      expect(error).not.toHaveProperty('field');
      expect(error.message).toMatch(/JSON object/);
    });

    it.each(['id', 'To', 'callback', '__proto__x'])(
      'rejects the unknown field %p with 4006 naming it',
      (field) => {
        const error = errorOf({ ...valid, [field]: 'x' });
        expect(error).toEqual({ code: 4006, field, message: expect.stringContaining(`"${field}"`) });
      },
    );

    it('rejects a "__proto__" key of a parsed JSON body with 4006', () => {
      const body: unknown = JSON.parse('{"to":"573001234567","text":"hi","__proto__":{"admin":true}}');
      expect(errorOf(body)).toEqual({
        code: 4006,
        field: '__proto__',
        message: expect.stringContaining('__proto__'),
      });
    });

    it('reports an unknown field before checking the known ones', () => {
      expect(errorOf({ to: 'abc', extra: 1 }).code).toBe(4006);
    });
  });

  describe('the receiver "to"', () => {
    it.each([
      ['missing', {}],
      ['undefined', { to: undefined }],
      ['null', { to: null }],
      ['empty', { to: '' }],
    ])('rejects a %s receiver with 4001', (_name, to) => {
      const error = errorOf({ text: shortText, ...to });
      expect(error).toEqual({ code: 4001, field: 'to', message: expect.stringContaining('"to"') });
    });

    it.each([
      ['a number', 573001234567],
      ['an array', ['573001234567']],
      ['an object', { number: '573001234567' }],
      ['a boolean', true],
    ])('rejects a receiver given as %s with 4003', (_name, to) => {
      expect(errorOf({ ...valid, to })).toEqual({
        code: 4003,
        field: 'to',
        message: expect.stringContaining('"to"'),
      });
    });

    it.each([
      ['with letters', '57300ABC4567'],
      ['with spaces', '57 300 123 4567'],
      ['with dashes', '57-300-1234567'],
      ['of whitespace only', '   '],
      ['of 6 digits, one short of the minimum', '573001'],
      ['of 16 digits, one past the E.164 maximum', '5730012345678901'],
      ['starting with 0 (no country code)', '03001234567'],
      ['starting with an international prefix 00', '00573001234567'],
      ['with two plus signs', '++573001234567'],
      ['with a plus sign inside', '57+3001234567'],
      ['of a lone plus sign', '+'],
      ['with non-ASCII digits', '٥٧٣٠٠١٢٣٤٥٦٧'],
      ['with a trailing newline', '573001234567\n'],
    ])('rejects a receiver %s with 4003', (_name, to) => {
      expect(errorOf({ ...valid, to })).toEqual({
        code: 4003,
        field: 'to',
        message: expect.stringContaining('"to"'),
      });
    });

    it.each([
      ['7 digits, the minimum', '5730012', '5730012'],
      ['15 digits, the E.164 maximum', '573001234567890', '573001234567890'],
      ['a leading plus sign, which is stripped', '+573001234567', '573001234567'],
      ['a leading plus sign and 15 digits', '+573001234567890', '573001234567890'],
    ])('accepts a receiver of %s', (_name, to, expected) => {
      expect(validateSmsRequest({ ...valid, to, text: shortText }, limits)).toEqual({
        ok: true,
        value: { to: expected, text: shortText },
      });
    });
  });

  describe('the text', () => {
    it.each([
      ['missing', {}],
      ['undefined', { text: undefined }],
      ['null', { text: null }],
    ])('rejects a %s text with 4002', (_name, text) => {
      expect(errorOf({ to: valid.to, ...text })).toEqual({
        code: 4002,
        field: 'text',
        message: expect.stringContaining('"text"'),
      });
    });

    it.each([
      ['empty', ''],
      ['of spaces', '   '],
      ['of tabs and newlines', '\t\n\r\n'],
      ['of non-breaking spaces', '\u00a0\u00a0'],
    ])('rejects a text that is %s with 4002', (_name, text) => {
      expect(errorOf({ ...valid, text })).toEqual({
        code: 4002,
        field: 'text',
        message: expect.stringContaining('"text"'),
      });
    });

    it.each([
      ['a number', 1234],
      ['an array', ['hi']],
      ['an object', { body: 'hi' }],
      ['a boolean', false],
    ])('rejects a text given as %s with 4005', (_name, text) => {
      expect(errorOf({ ...valid, text })).toEqual({
        code: 4005,
        field: 'text',
        message: expect.stringContaining('"text"'),
      });
    });

    it('accepts a text exactly as long as the limit', () => {
      const text = 'x'.repeat(limits.maxTextLength);
      expect(validateSmsRequest({ ...valid, text }, limits)).toEqual({
        ok: true,
        value: { to: valid.to, text },
      });
    });

    it('rejects a text one character past the limit with 4005 and says both lengths', () => {
      const error = errorOf({ ...valid, text: 'x'.repeat(limits.maxTextLength + 1) });
      expect(error).toEqual({ code: 4005, field: 'text', message: expect.stringContaining('"text"') });
      expect(error.message).toContain(String(limits.maxTextLength + 1));
      expect(error.message).toContain(String(limits.maxTextLength));
    });

    it.each([
      ['emoji', '😀', 2],
      ['a CJK supplementary ideograph', '𠀋', 2],
      ['a musical symbol', '𝄞', 2],
    ])('counts %s as one character although it takes two UTF-16 units', (_name, character, units) => {
      expect(character.length).toBe(units);
      const atLimit = character.repeat(limits.maxTextLength);
      expect(validateSmsRequest({ ...valid, text: atLimit }, limits)).toEqual({
        ok: true,
        value: { to: valid.to, text: atLimit },
      });
      expect(errorOf({ ...valid, text: atLimit + character }).code).toBe(4005);
    });

    it('keeps the text as sent, with its surrounding spaces and its emoji', () => {
      const text = '  Hola 👋 ñandú  ';
      expect(validateSmsRequest({ ...valid, text }, limits)).toEqual({
        ok: true,
        value: { to: valid.to, text },
      });
    });

    it.each([
      ['a lone high surrogate', 'code \ud83d'],
      ['a lone low surrogate', '\ude00 code'],
      ['two surrogates in the wrong order', 'code \ude00\ud83d'],
    ])('rejects a text with %s with 4005', (_name, text) => {
      expect(errorOf({ ...valid, text })).toEqual({
        code: 4005,
        field: 'text',
        message: expect.stringContaining('"text"'),
      });
    });
  });

  describe('the sender "from"', () => {
    it.each([
      ['a short code', '85432', '85432'],
      ['a 3-digit number, the minimum', '123', '123'],
      ['a 15-digit number, the maximum', '573001234567890', '573001234567890'],
      ['a number with a plus sign, which is stripped', '+573001234567', '573001234567'],
      ['a one-letter id', 'A', 'A'],
      ['an 11-character alphanumeric id, the maximum', 'ACME Bank 1', 'ACME Bank 1'],
      ['an id with the allowed punctuation', "Jo's B&B.-_", "Jo's B&B.-_"],
      ['a mixed id starting with digits', '24Seven', '24Seven'],
    ])('accepts %s', (_name, from, expected) => {
      expect(validateSmsRequest({ ...valid, text: shortText, from }, limits)).toEqual({
        ok: true,
        value: { to: valid.to, from: expected, text: shortText },
      });
    });

    it.each([
      ['a number', 85432],
      ['an array', ['85432']],
      ['a boolean', true],
      ['an empty string', ''],
      ['a 2-digit number', '12'],
      ['a 16-digit number', '5730012345678901'],
      ['a plus sign and 2 digits', '+12'],
      ['a 12-character alphanumeric id', 'ACME Bank 12'],
      ['an id with a character outside the allowed set', 'ACME!'],
      ['an id with a plus sign and letters', '+ACME'],
      ['an id with accented letters', 'Ñandú'],
      ['an id of punctuation only', '...'],
      ['an id with a newline', 'ACME\n'],
    ])('rejects %s with 4004', (_name, from) => {
      expect(errorOf({ ...valid, text: shortText, from })).toEqual({
        code: 4004,
        field: 'from',
        message: expect.stringContaining('"from"'),
      });
    });
  });

  describe('the order of the checks', () => {
    it.each([
      ['a bad receiver before a missing text', { to: 'abc' }, 4003],
      ['a missing receiver before a bad sender', { text: shortText, from: '!' }, 4001],
      ['a missing text before a bad sender', { to: valid.to, from: '!' }, 4002],
      ['a too-long text before a bad sender', { to: valid.to, text: 'x'.repeat(21), from: '!' }, 4005],
    ])('reports %s', (_name, body, code) => {
      expect(errorOf(body).code).toBe(code);
    });
  });
});

describe('validFor', () => {
  const valid = { to: '573001234567', text: 'hi' };

  it.each([30, 3_600, 86_400])('accepts %i seconds', (validFor) => {
    expect(validateSmsRequest({ ...valid, validFor }, limits)).toEqual({
      ok: true,
      value: { ...valid, validFor },
    });
  });

  it.each([
    ['below the minimum', 29],
    ['above the maximum', 86_401],
    ['zero', 0],
    ['negative', -60],
    ['fractional', 60.5],
    ['a string', '3600'],
    ['a boolean', true],
  ])('refuses a validFor %s with 4009', (_name, validFor) => {
    const error = errorOf({ ...valid, validFor });
    expect(error).toMatchObject({ code: 4009, field: 'validFor' });
    expect(error.message).toContain('86400');
  });

  it('treats a null validFor as absent', () => {
    expect(validateSmsRequest({ ...valid, validFor: null }, limits)).toEqual({ ok: true, value: valid });
  });
});

describe('priority', () => {
  const valid = { to: '573001234567', text: 'hi' };

  it.each(['high', 'normal', 'bulk'])('accepts %p', (priority) => {
    expect(validateSmsRequest({ ...valid, priority }, limits)).toEqual({
      ok: true,
      value: { ...valid, priority },
    });
  });

  it.each([
    ['another word', 'urgent'],
    ['a capitalised value', 'High'],
    ['a number', 1],
    ['an empty string', ''],
  ])('refuses %s with 4015', (_name, priority) => {
    expect(errorOf({ ...valid, priority })).toEqual({
      code: 4015,
      field: 'priority',
      message: '"priority" must be one of high, normal, bulk',
    });
  });
});

describe('delivery', () => {
  const valid = { to: '573001234567', text: 'hi' };

  it.each(['at-least-once', 'at-most-once'])('accepts %p', (delivery) => {
    expect(validateSmsRequest({ ...valid, delivery }, limits)).toEqual({
      ok: true,
      value: { ...valid, delivery },
    });
  });

  it('treats a null delivery as absent: the client default applies', () => {
    expect(validateSmsRequest({ ...valid, delivery: null }, limits)).toEqual({ ok: true, value: valid });
  });

  it.each([
    ['a mode the gateway cannot keep', 'exactly-once'],
    ['a capitalised value', 'At-Most-Once'],
    ['underscores', 'at_most_once'],
    ['a boolean', true],
    ['an empty string', ''],
  ])('refuses %s with 4020', (_name, delivery) => {
    expect(errorOf({ ...valid, delivery })).toEqual({
      code: 4020,
      field: 'delivery',
      message: '"delivery" must be one of at-least-once, at-most-once',
    });
  });
});

describe('sendAt', () => {
  const NOW = Date.parse('2030-01-31T08:00:00Z');
  const clock = { ...limits, maxScheduleSeconds: 3_600, now: () => NOW };
  const valid = { to: '573001234567', text: 'hi' };

  it.each([
    ['UTC', '2030-01-31T08:30:00Z', '2030-01-31T08:30:00Z'],
    ['an offset', '2030-01-31T09:30:00+01:00', '2030-01-31T08:30:00Z'],
    ['a negative offset and milliseconds', '2030-01-31T03:30:00.250-05:00', '2030-01-31T08:30:00.250Z'],
    ['the last second of the horizon', '2030-01-31T09:00:00Z', '2030-01-31T09:00:00Z'],
  ])('accepts a time with %s, as ms since the epoch', (_name, sendAt, instant) => {
    expect(validateSmsRequest({ ...valid, sendAt }, clock)).toEqual({
      ok: true,
      value: { ...valid, sendAt: Date.parse(instant) },
    });
  });

  it.each([
    ['now', '2030-01-31T08:00:00Z', 'in the future'],
    ['in the past', '2030-01-31T07:59:59Z', 'in the future'],
    ['past the horizon', '2030-01-31T09:00:01Z', 'at most 3600 seconds ahead'],
    ['without an offset', '2030-01-31T08:30:00', 'ISO 8601'],
    ['without seconds', '2030-01-31T08:30Z', 'ISO 8601'],
    ['a date alone', '2030-01-31', 'ISO 8601'],
    ['an impossible date', '2030-02-30T08:30:00Z', 'ISO 8601'],
    ['a space for the T', '2030-01-31 08:30:00Z', 'ISO 8601'],
    ['epoch milliseconds', NOW + 60_000, 'ISO 8601'],
  ])('refuses a time %s with 4016', (_name, sendAt, why) => {
    const error = errorOfWith({ ...valid, sendAt }, clock);
    expect(error).toMatchObject({ code: 4016, field: 'sendAt' });
    expect(error.message).toContain(why);
  });

  it('allows 30 days ahead by default', () => {
    const now = Date.now();
    const inDays = (days: number) => new Date(now + days * 86_400_000).toISOString();
    const base = { ...limits, now: () => now };
    expect(validateSmsRequest({ ...valid, sendAt: inDays(30) }, base).ok).toBe(true);
    expect(errorOfWith({ ...valid, sendAt: inDays(30.001) }, base).code).toBe(4016);
  });
});

describe('reference', () => {
  const valid = { to: '573001234567', text: 'hi' };

  it.each([
    ['one character', 'x'],
    ['64 characters', 'r'.repeat(64)],
    ['punctuation and inner spaces', 'order #42 / line 3: {ok}'],
  ])('accepts %s, unchanged', (_name, reference) => {
    expect(validateSmsRequest({ ...valid, reference }, limits)).toEqual({
      ok: true,
      value: { ...valid, reference },
    });
  });

  it.each([
    ['empty', ''],
    ['65 characters', 'r'.repeat(65)],
    ['with a leading space', ' order-42'],
    ['with a trailing space', 'order-42 '],
    ['with a newline', 'order\n42'],
    ['with a tab', 'order\t42'],
    ['with a non-ASCII letter', 'pedido-ñ'],
    ['a number', 42],
  ])('refuses a reference %s with 4017', (_name, reference) => {
    expect(errorOf({ ...valid, reference })).toMatchObject({ code: 4017, field: 'reference' });
  });
});

describe('the SMS parts of the text', () => {
  const roomy = { maxTextLength: 5_000, maxValiditySeconds: 86_400, maxSegments: 2 };

  it('accepts a text of exactly maxSegments parts', () => {
    expect(validateSmsRequest({ to: valid.to, text: 'a'.repeat(306) }, roomy).ok).toBe(true);
    expect(validateSmsRequest({ to: valid.to, text: 'ж'.repeat(134) }, roomy).ok).toBe(true);
  });

  it('refuses a text of more parts with 4018, saying how many and why', () => {
    expect(errorOfWith({ to: valid.to, text: 'a'.repeat(307) }, roomy)).toEqual({
      code: 4018,
      field: 'text',
      message: '"text" takes 3 SMS parts as GSM-7; the maximum is 2',
    });
    expect(errorOfWith({ to: valid.to, text: `${'a'.repeat(201)}’` }, roomy)).toEqual({
      code: 4018,
      field: 'text',
      message: '"text" takes 4 SMS parts as UCS-2 (U+2019 is not in the GSM alphabet); the maximum is 2',
    });
  });

  it('allows 10 parts by default', () => {
    const big = { maxTextLength: 5_000, maxValiditySeconds: 86_400 };
    expect(validateSmsRequest({ to: valid.to, text: 'a'.repeat(1530) }, big).ok).toBe(true);
    expect(errorOfWith({ to: valid.to, text: 'a'.repeat(1531) }, big).code).toBe(4018);
  });

  it('reports a text too long in characters as 4005 before counting its parts', () => {
    expect(errorOfWith({ to: valid.to, text: 'a'.repeat(5_001) }, roomy).code).toBe(4005);
  });
});

describe('control characters in the text', () => {
  it.each([
    ['NUL', '\u0000', 'U+0000'],
    ['escape', '\u001b[31m', 'U+001B'],
    ['DEL', '\u007f', 'U+007F'],
    ['a C1 control', '\u0085', 'U+0085'],
  ])('refuses %s with 4005, naming it', (_name, character, named) => {
    const error = errorOf({ ...valid, text: `hi ${character}` });
    expect(error).toMatchObject({ code: 4005, field: 'text' });
    expect(error.message).toContain(named);
  });

  it('accepts tab, line feed and carriage return', () => {
    expect(validateSmsRequest({ ...valid, text: 'a\tb\r\nc' }, limits).ok).toBe(true);
  });
});

describe('the normalised value', () => {
  it('holds every field given, in its canonical form', () => {
    const now = Date.parse('2030-01-31T08:00:00Z');
    const body = {
      to: '+573001234567',
      from: '+85432',
      text: 'Your code is 1234',
      validFor: 300,
      priority: 'high',
      sendAt: '2030-01-31T10:00:00+01:00',
      reference: 'otp-42',
    };
    expect(validateSmsRequest(body, { ...limits, now: () => now })).toEqual({
      ok: true,
      value: {
        to: '573001234567',
        from: '85432',
        text: 'Your code is 1234',
        validFor: 300,
        priority: 'high',
        sendAt: Date.parse('2030-01-31T09:00:00Z'),
        reference: 'otp-42',
      },
    });
  });

  it('has exactly the fields of the table', () => {
    type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
    const same: Exactly<keyof SmsRequest, SmsRequestFieldName> = true;
    expect(same).toBe(true);
  });
});

function errorOfWith(body: unknown, own: ValidationLimits): ValidationError {
  const result = validateSmsRequest(body, own);
  if (result.ok) throw new Error(`expected a validation error, got ${JSON.stringify(result.value)}`);
  return result.error;
}
