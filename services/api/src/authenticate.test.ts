import { ApiError } from './api-error';
import { createAuthenticator } from './authenticate';

const SHOP_KEY = 'shop-key-0123456789';
const CRM_KEY = 'crm-key-abcdefghijk';
const authenticate = createAuthenticator(
  new Map([
    [SHOP_KEY, 'shop'],
    [CRM_KEY, 'crm'],
  ]),
);

function errorOf(authorization: string | undefined): unknown {
  try {
    authenticate(authorization);
  } catch (error) {
    return error;
  }
  throw new Error('expected the authenticator to throw');
}

describe('createAuthenticator', () => {
  it.each([
    [`Bearer ${SHOP_KEY}`, 'shop'],
    [`Bearer ${CRM_KEY}`, 'crm'],
    [`bearer ${SHOP_KEY}`, 'shop'],
    [`BEARER ${SHOP_KEY}`, 'shop'],
    [`Bearer   ${SHOP_KEY}`, 'shop'],
    [`Bearer ${SHOP_KEY} `, 'shop'],
  ])('gives the client name for %p', (authorization, client) => {
    expect(authenticate(authorization)).toBe(client);
  });

  it.each([
    ['a missing header', undefined],
    ['an empty header', ''],
    ['the Basic scheme', `Basic ${Buffer.from(`shop:${SHOP_KEY}`).toString('base64')}`],
    ['the key without a scheme', SHOP_KEY],
    ['a Token scheme', `Token ${SHOP_KEY}`],
    ['the scheme glued to the key', `Bearer${SHOP_KEY}`],
    ['an empty bearer', 'Bearer '],
    ['a bare Bearer', 'Bearer'],
    ['a wrong key', 'Bearer not-a-key-of-anybody'],
    ['a prefix of a key', `Bearer ${SHOP_KEY.slice(0, -1)}`],
    ['a key with an extra character', `Bearer ${SHOP_KEY}x`],
    ['a key in the wrong case', `Bearer ${SHOP_KEY.toUpperCase()}`],
    ['two keys', `Bearer ${SHOP_KEY} ${CRM_KEY}`],
    ['a client name instead of a key', 'Bearer shop'],
  ])('refuses %s with 4030', (_name, authorization) => {
    const error = errorOf(authorization);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ name: 'ApiError', code: 4030, httpStatus: 401 });
  });

  it('tells a caller without a bearer header how to send the key', () => {
    expect(errorOf(undefined)).toMatchObject({ message: expect.stringContaining('Authorization: Bearer') });
  });

  it('does not echo the presented key in the error', () => {
    const error = errorOf('Bearer guessed-key-0123456789') as Error;
    expect(error.message).not.toContain('guessed-key');
  });

  it('refuses every key when none is configured', () => {
    const nobody = createAuthenticator(new Map());
    expect(() => nobody(`Bearer ${SHOP_KEY}`)).toThrow(ApiError);
  });
});

describe('createAuthenticator with Basic', () => {
  const either = createAuthenticator(new Map([[SHOP_KEY, 'shop']]), { basic: true });
  const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

  it.each([
    ['a bearer key', `Bearer ${SHOP_KEY}`],
    ['the key as password', basic(`shop:${SHOP_KEY}`)],
    ['any user name', basic(`someone else:${SHOP_KEY}`)],
    ['an empty user name', basic(`:${SHOP_KEY}`)],
    ['a lower-case scheme', basic(`shop:${SHOP_KEY}`).replace('Basic', 'basic')],
  ])('gives the client name for %s', (_name, authorization) => {
    expect(either(authorization)).toBe('shop');
  });

  it.each([
    ['a missing header', undefined],
    ['the key as user name', basic(`${SHOP_KEY}:`)],
    ['the key without a colon', basic(SHOP_KEY)],
    ['a wrong password', basic('shop:not-a-key-of-anybody')],
    ['a password with the key inside', basic(`shop:${SHOP_KEY}x`)],
    ['credentials that are not base64', `Basic shop:${SHOP_KEY}`],
    ['two credentials', `${basic(`shop:${SHOP_KEY}`)} ${basic(`shop:${SHOP_KEY}`)}`],
  ])('refuses %s with 4030', (_name, authorization) => {
    expect(() => either(authorization)).toThrow(expect.objectContaining({ code: 4030, httpStatus: 401 }));
  });

  it('tells a caller without credentials both ways to send the key', () => {
    expect(() => either(undefined)).toThrow(/Bearer <key>".*Basic/);
  });
});
