import { z } from 'zod';
import { API_ERROR_CODES, type ApiErrorCode } from './api-error-codes';
import { SMS_REQUEST_FIELDS, type SmsRequestField, smsRequestSchema } from './sms-request-fields';

const limits = {
  maxTextLength: 1_600,
  maxValiditySeconds: 172_800,
  maxScheduleSeconds: 86_400,
  maxSegments: 10,
};
const fields = Object.entries(SMS_REQUEST_FIELDS) as [string, SmsRequestField][];

describe('SMS_REQUEST_FIELDS', () => {
  it('defines every option of a request, required ones first', () => {
    expect(fields.map(([name, field]) => [name, field.required])).toEqual([
      ['to', true],
      ['text', true],
      ['from', false],
      ['validFor', false],
      ['priority', false],
      ['delivery', false],
      ['sendAt', false],
      ['reference', false],
      ['callbackUrl', false],
    ]);
  });

  it.each(fields)('gives %s a description and codes of API_ERROR_CODES, sent with 400', (_name, field) => {
    expect(field.description).toMatch(/^\S.{20,}\.$/);
    for (const code of Object.values(field.codes) as ApiErrorCode[])
      expect(API_ERROR_CODES[code].httpStatus).toBe(400);
    expect(field.required).toBe(field.codes.missing !== undefined);
  });

  it('gives every field a code of its own for a broken rule', () => {
    const invalid = fields.map(([, field]) => field.codes.invalid);
    expect(new Set(invalid).size).toBe(invalid.length);
  });
});

describe('smsRequestSchema', () => {
  const document = z.toJSONSchema(smsRequestSchema(limits), { io: 'input' }) as {
    type: string;
    required: string[];
    additionalProperties: boolean;
    properties: Record<string, Record<string, unknown>>;
  };

  it('turns into a JSON Schema of an object with exactly the fields of the table', () => {
    expect(document.type).toBe('object');
    expect(document.additionalProperties).toBe(false);
    expect(Object.keys(document.properties)).toEqual(fields.map(([name]) => name));
    expect(document.required).toEqual(['to', 'text']);
  });

  it.each(fields)('carries the description and codes of %s', (name, field) => {
    expect(document.properties[name]).toMatchObject({
      description: field.description,
      'x-error-codes': field.codes,
    });
  });

  it('states the limits JSON Schema can express, from the configuration', () => {
    expect(document.properties.to).toMatchObject({ type: 'string', pattern: expect.any(String) });
    expect(document.properties.text).toMatchObject({ type: 'string', maxLength: 1_600 });
    expect(document.properties.validFor).toMatchObject({ type: 'integer', minimum: 30, maximum: 172_800 });
    expect(document.properties.priority).toMatchObject({ enum: ['high', 'normal', 'bulk'] });
    expect(document.properties.delivery).toMatchObject({ enum: ['at-least-once', 'at-most-once'] });
    expect(document.properties.sendAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(document.properties.reference).toMatchObject({ minLength: 1, maxLength: 64 });
  });

  it('agrees with validation on a full request', () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const body = {
      to: '573001234567',
      from: 'ACME',
      text: 'Hi',
      validFor: 60,
      priority: 'bulk',
      sendAt,
      reference: 'r-1',
    };
    expect(smsRequestSchema(limits).safeParse(body).success).toBe(true);
    expect(smsRequestSchema(limits).safeParse({ ...body, colour: 'red' }).success).toBe(false);
  });
});
