// A throw-away self-signed certificate for 127.0.0.1, made with the openssl CLI (tests that
// need it are skipped where openssl is missing).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

export interface TestCert {
  key: string;
  cert: string;
  /** Path of the certificate (its own CA). */
  certFile: string;
  cleanup(): void;
}

export function makeTestCert(): TestCert {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kafka-broker-tls-'));
  const keyFile = path.join(dir, 'broker.key');
  const certFile = path.join(dir, 'broker.crt');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-days', '2'],
    { stdio: 'pipe', timeout: 20_000 },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
