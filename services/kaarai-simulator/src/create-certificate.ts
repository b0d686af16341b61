import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

export interface TlsCertificate {
  /** PEM certificate; self-signed ones double as the CA a client trusts. */
  readonly cert: string;
  /** PEM private key. */
  readonly key: string;
}

/** The names every certificate made here is valid for. */
export const LOCAL_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

export interface CertificateOptions {
  /** More host names or IP addresses to name, e.g. the compose service name. @defaultValue [] */
  readonly hosts?: readonly string[];
  /** Days the certificate is valid, from now. @defaultValue 825 */
  readonly days?: number;
  /** @defaultValue now */
  readonly now?: Date;
}

/**
 * A self-signed certificate for `localhost`, `127.0.0.1`, `::1` and `options.hosts`. It is marked as a CA so that
 * a client can pass it as its `ca` (trusted root) and still match it as the server certificate;
 * without `cA: true` OpenSSL refuses to use it as a trust anchor.
 */
export async function createCertificate(options: CertificateOptions = {}): Promise<TlsCertificate> {
  const notBeforeDate = options.now ?? new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + (options.days ?? 825) * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...new Set([...LOCAL_HOSTS, ...(options.hosts ?? [])])].map((host) =>
          isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host },
        ),
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * True when `cert` parses, names every one of `hosts`, and is valid from now until at least
 * `marginMs` from now.
 */
export function isCurrentCertificate(
  cert: string,
  options: { readonly hosts?: readonly string[]; readonly now?: Date; readonly marginMs?: number } = {},
): boolean {
  const { hosts = [], now = new Date(), marginMs = 86_400_000 } = options;
  try {
    const parsed = new X509Certificate(cert);
    const names = (host: string) =>
      isIP(host) === 0
        ? parsed.checkHost(host, { wildcards: false }) !== undefined
        : parsed.checkIP(host) !== undefined;
    return (
      Date.parse(parsed.validFrom) <= now.getTime() &&
      Date.parse(parsed.validTo) > now.getTime() + marginMs &&
      hosts.every(names)
    );
  } catch {
    return false;
  }
}
