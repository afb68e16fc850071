import { createPublicKey, X509Certificate as NodeX509Certificate, type KeyObject } from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  Certificate,
  SubjectKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_subjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { subjectKeyId } from './certificate-extensions.js';
import type { Signer } from './certificate-builder.js';
import { children, readElement } from './der.js';
import { subjectText } from './distinguished-name.js';
import type { CaKeyType } from './key-material.js';
import { pemBlocks } from './pem.js';

/**
 * CaCertificate is a parsed CA certificate (root or issuer) with what signing under it needs:
 * its subject (the issuer name of what it signs), its key identifier (the AKI of what it
 * signs), its validity (leaves never outlive it) and its PEM (for chains).
 */
export interface CaCertificate {
  readonly der: Buffer;
  readonly pem: string;
  /** subject Name, DER, exactly as in the certificate */
  readonly subject: Buffer;
  readonly subjectText: string;
  readonly serialHex: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly keyId: Buffer;
  readonly isCa: boolean;
  /** SubjectPublicKeyInfo DER */
  readonly spki: Buffer;
}

/** parseCaCertificate parses one certificate DER (trusted input: our own records or a checked import). */
export function parseCaCertificate(der: Buffer, pem: string): CaCertificate {
  const cert = AsnConvert.parse(der, Certificate);
  const tbs = cert.tbsCertificate;
  // The subject and key are taken as the exact bytes of the certificate, not re-encoded.
  const [tbsElement] = children(readElement(der).content);
  const fields = children(tbsElement?.content ?? Buffer.alloc(0));
  const skip = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] version present
  const subject = fields[skip + 4]?.raw;
  const spki = fields[skip + 5]?.raw;
  if (!subject || !spki) throw new RangeError('certificate: missing subject or key');
  let keyId: Buffer | undefined;
  let isCa = false;
  for (const ext of tbs.extensions ?? []) {
    if (ext.extnID === id_ce_subjectKeyIdentifier)
      keyId = Buffer.from(AsnConvert.parse(ext.extnValue, SubjectKeyIdentifier).buffer);
    if (ext.extnID === id_ce_basicConstraints) isCa = AsnConvert.parse(ext.extnValue, BasicConstraints).cA;
  }
  return {
    der,
    pem,
    subject: Buffer.from(subject),
    subjectText: subjectText(subject),
    serialHex: Buffer.from(tbs.serialNumber)
      .toString('hex')
      .replace(/^(00)+(?=.)/, ''),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    keyId: keyId ?? subjectKeyId(spki),
    isCa,
    spki: Buffer.from(spki),
  };
}

/** caCertificateFromPem parses the first CERTIFICATE block of a stored PEM. */
export function caCertificateFromPem(pem: string): CaCertificate {
  const der = pemBlocks(pem, ['CERTIFICATE'])[0];
  if (!der) throw new Error('stored CA certificate has no PEM block');
  return parseCaCertificate(der, pem);
}

/** signerOf pairs a CA certificate with its private key. */
export function signerOf(cert: CaCertificate, key: KeyObject, keyType: CaKeyType): Signer {
  return { key, keyType, name: cert.subject };
}

/**
 * checkImportedRoot verifies a root offered to import-root, in order: it parses, it is a CA, it
 * is self-signed (its signature verifies with its own key), it is valid now, and `key` is its key.
 */
export function checkImportedRoot(der: Buffer, pem: string, key: KeyObject, now: Date): CaCertificate {
  let cert: CaCertificate;
  let node: NodeX509Certificate;
  try {
    cert = parseCaCertificate(der, pem);
    node = new NodeX509Certificate(der);
  } catch {
    throw new InvalidRequestError('cert_pem: not a valid X.509 certificate');
  }
  if (!cert.isCa) throw new InvalidRequestError('cert_pem: the certificate is not a CA (basicConstraints CA:true is missing)');
  let selfSigned: boolean;
  try {
    selfSigned = node.checkIssued(node) && node.verify(node.publicKey);
  } catch {
    selfSigned = false;
  }
  if (!selfSigned) {
    throw new InvalidRequestError('cert_pem: the certificate is not self-signed; import the root of the hierarchy');
  }
  if (cert.notAfter.getTime() <= now.getTime()) throw new InvalidRequestError('cert_pem: the certificate has expired');
  if (cert.notBefore.getTime() > now.getTime() + 5 * 60_000)
    throw new InvalidRequestError('cert_pem: the certificate is not valid yet');
  // Compare encodings: KeyObject.equals on keys of different types leaves an error on OpenSSL's
  // queue that a later, unrelated key import then reports as its own failure.
  const spkiOf = (k: KeyObject): Buffer => k.export({ format: 'der', type: 'spki' });
  if (!spkiOf(node.publicKey).equals(spkiOf(createPublicKey(key))))
    throw new InvalidRequestError('key_pem: the key does not belong to the certificate');
  return cert;
}
