import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * provider is node's WebCrypto, passed to every @peculiar/x509 call instead of being set
 * globally, so importing the platform changes nothing for other users of the library.
 */
export const provider = webcrypto;

/** keyAlgorithm is ECDSA P-256: no RSA for new keys, and P-256 is what every TLS peer accepts. */
export const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** signingAlgorithm is ECDSA with SHA-256, the pairing P-256 is defined for. */
export const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** dayMs is one day in milliseconds, the unit certificate lifetimes are counted in. */
export const dayMs = 86_400_000;

/** newKeyPair generates an extractable ECDSA P-256 key pair (extractable so it can be saved). */
export async function newKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return provider.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']);
}

/** privateKeyPEM encodes a private key as unencrypted PKCS#8 PEM, the form node's TLS reads. */
export async function privateKeyPEM(key: webcrypto.CryptoKey): Promise<string> {
  const der = await provider.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
}

/** importSigningKey turns a PEM private key (PKCS#8 or SEC1) back into a WebCrypto signing key. */
export async function importSigningKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return provider.subtle.importKey('pkcs8', der, keyAlgorithm, false, ['sign']);
}

/** randomSerial is a positive 16-byte serial: the top bit is cleared so DER needs no sign byte. */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

/**
 * validityFor is a validity window of `days` starting an hour ago, so a peer whose clock runs a
 * little behind does not reject a certificate minted a moment earlier.
 */
export function validityFor(days: number, now = Date.now()): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now - 3_600_000), notAfter: new Date(now + days * dayMs) };
}
