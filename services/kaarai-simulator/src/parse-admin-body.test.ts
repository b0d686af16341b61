import { simulatorFaultUpdateSchema, simulatorSettingsUpdateSchema } from '@sms/kaarai-simulator-wire';
import { parseAdminBody } from './parse-admin-body';

describe('parseAdminBody', () => {
  it('reports one problem per field, in the order of the body', () => {
    const body = { queuedShare: 2, blockedPrefixes: ['+57', 'x', 5], user: 7 };
    expect(parseAdminBody(body, simulatorSettingsUpdateSchema)).toEqual({
      ok: false,
      problems: [
        'queuedShare: must be a number from 0 to 1',
        'blockedPrefixes: must be an array of digit strings, such as ["57300"]',
        'user: must be a non-empty string without a colon',
      ],
    });
  });

  it('refuses fields named like the properties every object has', () => {
    const result = parseAdminBody(
      JSON.parse('{"constructor":1,"__proto__":{"failNext":1}}'),
      simulatorFaultUpdateSchema,
    );
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(/^constructor: unknown field \(known: failureRate, failNext, outageMs, /),
      expect.stringMatching(/^__proto__: unknown field/),
    ]);
  });

  it('refuses a field given as undefined rather than leaving it out', () => {
    expect(parseAdminBody({ failNext: undefined }, simulatorFaultUpdateSchema)).toEqual({
      ok: false,
      problems: ['failNext: must be a whole number, 0 or more'],
    });
  });

  it('gives the valid body with nothing added', () => {
    expect(parseAdminBody({ blockedPrefixes: ['57300'] }, simulatorSettingsUpdateSchema)).toEqual({
      ok: true,
      value: { blockedPrefixes: ['57300'] },
    });
  });
});
