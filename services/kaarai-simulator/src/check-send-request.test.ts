import { checkSendRequest, type SendRequest } from './check-send-request';
import { DEFAULT_SETTINGS, type SimulatorSettings } from './simulator-settings';

const settings: SimulatorSettings = { ...DEFAULT_SETTINGS, blockedPrefixes: ['999', '4477'] };

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function request(overrides: Partial<SendRequest> = {}): SendRequest {
  return {
    contentType: 'application/json',
    authorization: basic('gateway', 'secret'),
    body: JSON.stringify({ to: '573001234567', text: 'Your code is 1234' }),
    ...overrides,
  };
}

describe('checkSendRequest', () => {
  it('accepts a well-formed request and returns the message and the user', () => {
    expect(
      checkSendRequest(settings, request({ body: '{"to":"573001234567","text":"hi","from":"8123"}' })),
    ).toEqual({
      ok: true,
      user: 'gateway',
      sms: { to: '573001234567', from: '8123', text: 'hi' },
    });
  });

  it('records a missing or non-string sender as null', () => {
    const check = checkSendRequest(settings, request({ body: '{"to":"573001234567","text":"hi","from":5}' }));
    expect(check).toMatchObject({ ok: true, sms: { from: null } });
  });

  it('accepts a content type with parameters and in any case', () => {
    expect(checkSendRequest(settings, request({ contentType: 'Application/JSON; charset=utf-8' })).ok).toBe(
      true,
    );
  });

  it.each([
    ['text/plain', 'Invalid content-type: text/plain'],
    [
      'application/x-www-form-urlencoded; charset=utf-8',
      'Invalid content-type: application/x-www-form-urlencoded',
    ],
    [undefined, 'Invalid content-type: '],
  ])('answers 4000 naming the content type %s', (contentType, message) => {
    expect(checkSendRequest(settings, request({ contentType }))).toEqual({ ok: false, code: 4000, message });
  });

  it.each([
    ['a wrong password', basic('gateway', 'wrong'), 'gateway'],
    ['an unknown user', basic('someone', 'secret'), 'someone'],
    ['no password', `Basic ${Buffer.from('gateway').toString('base64')}`, 'gateway'],
    ['no Authorization header', undefined, ''],
    ['a Bearer token', 'Bearer abc', ''],
  ])('answers 4030 naming the user for %s', (_case, authorization, user) => {
    expect(checkSendRequest(settings, request({ authorization }))).toEqual({
      ok: false,
      code: 4030,
      message: `Authorization failed for user: ${user}`,
    });
  });

  it('accepts a password that contains a colon', () => {
    const withColon = { ...settings, password: 'a:b' };
    expect(checkSendRequest(withColon, request({ authorization: basic('gateway', 'a:b') })).ok).toBe(true);
  });

  it.each(['{"to":', '[1,2]', 'null', '"text"', ''])('answers 4000 Invalid JSON body to %j', (body) => {
    expect(checkSendRequest(settings, request({ body }))).toEqual({
      ok: false,
      code: 4000,
      message: 'Invalid JSON body',
    });
  });

  it('answers 4000 to a body over the size limit', () => {
    expect(checkSendRequest(settings, request({ body: '', bodyTooLarge: true }))).toMatchObject({
      code: 4000,
    });
  });

  it.each([
    [{ text: 'hi' }, 4001],
    [{ to: '', text: 'hi' }, 4001],
    [{ to: null, text: 'hi' }, 4001],
    [{ to: '573001234567' }, 4002],
    [{ to: '573001234567', text: '' }, 4002],
    [{ to: '573001234567', text: 42 }, 4002],
    [{ to: '+573001234567', text: 'hi' }, 4003],
    [{ to: '0573001234567', text: 'hi' }, 4003],
    [{ to: '123456', text: 'hi' }, 4003],
    [{ to: '1234567890123456', text: 'hi' }, 4003],
    [{ to: 573001234567, text: 'hi' }, 4003],
    [{ to: '57300 1234567', text: 'hi' }, 4003],
    [{ to: '9991234567', text: 'hi' }, 4031],
    [{ to: '447712345678', text: 'hi' }, 4031],
  ])('answers %j with code %i', (body, code) => {
    expect(checkSendRequest(settings, request({ body: JSON.stringify(body) }))).toMatchObject({
      ok: false,
      code,
    });
  });

  it('checks in the order content type, credentials, JSON, receiver, text', () => {
    const everythingWrong = { contentType: 'text/plain', authorization: undefined, body: '{' };
    expect(checkSendRequest(settings, request(everythingWrong))).toMatchObject({ code: 4000 });
    expect(
      checkSendRequest(settings, request({ ...everythingWrong, contentType: 'application/json' })),
    ).toMatchObject({
      code: 4030,
    });
    expect(checkSendRequest(settings, request({ body: '{}' }))).toMatchObject({ code: 4001 });
    expect(checkSendRequest(settings, request({ body: '{"to":"12"}' }))).toMatchObject({ code: 4003 });
  });

  it('uses the Kaarai wording for the fixed messages', () => {
    expect(checkSendRequest(settings, request({ body: '{}' }))).toMatchObject({
      message: 'Missing receiver number, rejected',
    });
    expect(checkSendRequest(settings, request({ body: '{"to":"9991234567","text":"x"}' }))).toMatchObject({
      message: 'Not routable. Do not try again',
    });
  });
});
