import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createCertificate,
  isCurrentCertificate,
  LOCAL_HOSTS,
  type TlsCertificate,
} from './create-certificate';

export interface CertificateFiles extends TlsCertificate {
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * The `cert.pem` and `key.pem` in `dir`, created there when missing, expiring or not naming every
 * host, and reused otherwise so that clients configured with the `cert.pem` of an earlier run keep
 * trusting it. `hosts` are named besides localhost, 127.0.0.1 and ::1.
 */
export async function loadOrCreateCertificate(
  dir: string,
  hosts: readonly string[] = [],
): Promise<CertificateFiles> {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const existing = readCertificateFiles(certFile, keyFile);
    if (isCurrentCertificate(existing.cert, { hosts: [...LOCAL_HOSTS, ...hosts] })) return existing;
  }
  mkdirSync(dir, { recursive: true });
  const created = await createCertificate({ hosts });
  // Through a rename, so that a client reading cert.pem while it is written never sees half a file.
  writeAtomically(keyFile, created.key, 0o600);
  writeAtomically(certFile, created.cert, 0o644);
  return { ...created, certFile, keyFile };
}

export function readCertificateFiles(certFile: string, keyFile: string): CertificateFiles {
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile, keyFile };
}

function writeAtomically(file: string, content: string, mode: number): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, file);
}
