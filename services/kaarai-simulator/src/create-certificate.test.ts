import { createPrivateKey, X509Certificate } from 'node:crypto';
import { createCertificate, isCurrentCertificate } from './create-certificate';

describe('createCertificate', () => {
  it('makes a CA certificate for localhost, 127.0.0.1 and ::1 with its private key', async () => {
    const { cert, key } = await createCertificate();
    const parsed = new X509Certificate(cert);
    expect(parsed.ca).toBe(true);
    expect(parsed.subjectAltName).toEqual(expect.stringContaining('DNS:localhost'));
    expect(parsed.subjectAltName).toEqual(expect.stringContaining('IP Address:127.0.0.1'));
    expect(parsed.subjectAltName).toEqual(expect.stringContaining('IP Address:0:0:0:0:0:0:0:1'));
    expect(parsed.checkHost('localhost')).toBe('localhost');
    expect(parsed.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(parsed.checkIP('::1')).toBe('::1');
    expect(parsed.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(parsed.verify(parsed.publicKey)).toBe(true);
  });

  it('also names the extra hosts it is given', async () => {
    const { cert } = await createCertificate({ hosts: ['simulator', '10.0.0.7', 'localhost'] });
    const parsed = new X509Certificate(cert);
    expect(parsed.checkHost('simulator')).toBe('simulator');
    expect(parsed.checkIP('10.0.0.7')).toBe('10.0.0.7');
    expect(parsed.checkHost('localhost')).toBe('localhost');
  });

  it('is current until close to its end of validity', async () => {
    const start = new Date('2030-01-01T00:00:00Z');
    const { cert } = await createCertificate({ now: start, days: 10 });
    expect(isCurrentCertificate(cert, { now: new Date('2030-01-05T00:00:00Z') })).toBe(true);
    expect(isCurrentCertificate(cert, { now: new Date('2030-01-10T12:00:00Z') })).toBe(false);
    expect(isCurrentCertificate(cert, { now: new Date('2029-12-31T00:00:00Z') })).toBe(false);
  });

  it('is not current for a host it does not name', async () => {
    const { cert } = await createCertificate({ hosts: ['simulator'] });
    expect(isCurrentCertificate(cert, { hosts: ['simulator', '127.0.0.1', '::1'] })).toBe(true);
    expect(isCurrentCertificate(cert, { hosts: ['gateway'] })).toBe(false);
    expect(isCurrentCertificate(cert, { hosts: ['10.0.0.7'] })).toBe(false);
  });

  it('does not take garbage for a certificate', () => {
    expect(isCurrentCertificate('not a certificate')).toBe(false);
  });
});
