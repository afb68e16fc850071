import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { writeFileAtomic } from '../atomic-write.js';
import { writeSecretFile } from '../secret-file.js';
import { dayMs, newKeyPair, privateKeyPEM, provider, randomSerial, signingAlgorithm, validityFor } from './key-material.js';
import type { RootCA } from './root-ca.js';

/** serviceCertLifetimeDays is one year; `mc up` reissues a leaf in its last 30 days. */
export const serviceCertLifetimeDays = 365;

/** renewBeforeDays is how close to expiry a leaf may get before `mc up` replaces it. */
export const renewBeforeDays = 30;

/** ServiceCertRequest names the files of one service's leaf and the names it must cover. */
export interface ServiceCertRequest {
  /** the subject common name, also the first DNS SAN: `<svc>.svc.mcp.<domain>` */
  readonly hostname: string;
  /** every SAN: DNS names and IP literals (IP literals become IP SANs) */
  readonly subjectAltNames: readonly string[];
  readonly certPath: string;
  readonly keyPath: string;
}

/** serviceSubjectAltNames are the names a service's leaf covers, per the platform convention. */
export function serviceSubjectAltNames(hostname: string): readonly string[] {
  return [hostname, 'localhost', '127.0.0.1'];
}

/**
 * ensureServiceCert keeps the leaf at `certPath`/`keyPath` when it is still right (issued by
 * `ca`, same SANs, key matches, more than 30 days left) and issues a new one otherwise: ECDSA
 * P-256, one year, EKU serverAuth + clientAuth, so the same pair serves TLS and mTLS. Returns
 * whether it issued. The key is written 0600 before the certificate that points at it.
 */
export async function ensureServiceCert(ca: RootCA, request: ServiceCertRequest): Promise<{ issued: boolean }> {
  if (isCurrent(ca, request)) return { issued: false };
  const keys = await newKeyPair();
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: `CN=${request.hostname}`,
      issuer: ca.certificate.subject,
      publicKey: keys.publicKey,
      signingKey: ca.signingKey,
      signingAlgorithm,
      ...validityFor(serviceCertLifetimeDays),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
        new x509.SubjectAlternativeNameExtension(
          request.subjectAltNames.map((value) => ({ type: isIP(value) ? 'ip' : 'dns', value })),
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, provider),
        await x509.AuthorityKeyIdentifierExtension.create(ca.certificate, false, provider),
      ],
    },
    provider,
  );
  writeSecretFile(request.keyPath, await privateKeyPEM(keys.privateKey));
  writeFileAtomic(request.certPath, certificate.toString('pem') + '\n', 0o644);
  return { issued: true };
}

// isCurrent answers "can the existing pair be kept?" for a seed-CA leaf.
function isCurrent(ca: RootCA, request: ServiceCertRequest): boolean {
  return isLeafCurrent(request, (cert) => cert.checkIssued(ca.nodeCertificate) && cert.verify(ca.nodeCertificate.publicKey));
}

/**
 * isLeafCurrent is the one "keep this leaf?" rule, whoever signs it: the files read, the key is
 * the certificate's, `issuedBy` accepts the signer, it names exactly the requested SANs and has
 * more than renewBeforeDays left. Any unreadable or foreign file means no.
 */
export function isLeafCurrent(
  request: ServiceCertRequest,
  issuedBy: (cert: X509Certificate) => boolean,
  now = Date.now(),
): boolean {
  try {
    const cert = new X509Certificate(readFileSync(request.certPath));
    if (!cert.checkPrivateKey(createPrivateKey(readFileSync(request.keyPath, 'utf8')))) return false;
    if (!issuedBy(cert)) return false;
    if (Date.parse(cert.validTo) - now < renewBeforeDays * dayMs) return false;
    return sameNames(parseSubjectAltName(cert.subjectAltName ?? ''), request.subjectAltNames);
  } catch {
    return false;
  }
}

/** parseSubjectAltName reads node's "DNS:a, IP Address:127.0.0.1" rendering into plain names. */
export function parseSubjectAltName(text: string): string[] {
  return text
    .split(', ')
    .filter((part) => part.length > 0)
    .map((part) => part.replace(/^(DNS|IP Address):/, ''));
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((name, i) => name === right[i]);
}
