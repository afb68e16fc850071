import { InvalidRequestError } from '@metacircular/mcdsl';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Extensions, SubjectAlternativeName, id_ce_subjectAltName, type Name } from '@peculiar/asn1-x509';
import type { LeafKeyType } from './ca-types.js';
import { keyTypeOf, publicKeyFromSpki, verifySignature } from './key-material.js';
import { onePemBlock } from './pem.js';

/**
 * parseCsr reads a PKCS#10 request (PEM or DER) and checks, in order: it parses, its signature
 * verifies with its own key (proof of possession), the key is a type we certify (ECDSA P-256/P-384
 * or Ed25519; no RSA, no P-521), and it asks for no extension we would have to ignore silently
 * other than SANs. Every failure is an InvalidRequestError under `field` ("csr_pem").
 */

/** ParsedCsr is what a CSR contributes to a certificate: its key and the names it asks for. */
export interface ParsedCsr {
  /** SubjectPublicKeyInfo DER */
  readonly spki: Buffer;
  readonly keyType: LeafKeyType;
  /** the subject's CN, if any */
  readonly commonName: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
}

const extensionRequestOid = '1.2.840.113549.1.9.14';
const commonNameOid = '2.5.4.3';

/** parseCsr parses and verifies a CSR given as PEM text or DER bytes. */
export function parseCsr(input: string | Uint8Array, field = 'csr_pem'): ParsedCsr {
  const der =
    typeof input === 'string'
      ? onePemBlock(input, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'], field)
      : Buffer.from(input);
  const bad = (why: string): InvalidRequestError => new InvalidRequestError(`${field}: ${why}`);
  let csr: CertificationRequest;
  try {
    csr = AsnConvert.parse(der, CertificationRequest);
  } catch {
    throw bad('not a valid PKCS#10 certificate request');
  }
  const info = csr.certificationRequestInfo;
  const spki = Buffer.from(AsnConvert.serialize(info.subjectPKInfo));
  let key;
  try {
    key = publicKeyFromSpki(spki);
  } catch {
    throw bad('the public key cannot be read');
  }
  const keyType = keyTypeOf(key, field);
  if (keyType === 'rsa' || keyType === 'ecdsa-p521')
    throw bad(`${keyType} keys are not certified; use ECDSA P-256/P-384 or Ed25519`);
  const signed = csr.certificationRequestInfoRaw
    ? Buffer.from(csr.certificationRequestInfoRaw)
    : Buffer.from(AsnConvert.serialize(info));
  if (!verifySignature(csr.signatureAlgorithm.algorithm, key, signed, Buffer.from(csr.signature))) {
    throw bad('the signature does not verify (or uses an unsupported algorithm)');
  }
  const names = requestedNames(info.attributes ?? [], bad);
  return { spki, keyType, commonName: commonNameOf(info.subject), ...names };
}

function requestedNames(
  attributes: ReadonlyArray<{ type: string; values: ArrayBuffer[] }>,
  bad: (why: string) => InvalidRequestError,
): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const attr of attributes) {
    if (attr.type !== extensionRequestOid) continue;
    for (const value of attr.values) {
      let extensions: Extensions;
      try {
        extensions = AsnConvert.parse(value, Extensions);
      } catch {
        throw bad('the extension request cannot be parsed');
      }
      for (const ext of extensions) {
        if (ext.extnID !== id_ce_subjectAltName) continue;
        let sans: SubjectAlternativeName;
        try {
          sans = AsnConvert.parse(ext.extnValue, SubjectAlternativeName);
        } catch {
          throw bad('the subject alternative names cannot be parsed');
        }
        for (const name of sans) {
          if (name.dNSName !== undefined) dnsNames.push(name.dNSName);
          else if (name.iPAddress !== undefined) ipAddresses.push(name.iPAddress);
          else throw bad('only DNS and IP subject alternative names are certified');
        }
      }
    }
  }
  return { dnsNames, ipAddresses };
}

function commonNameOf(subject: Name): string {
  for (const rdn of subject) {
    for (const atv of rdn) {
      if (atv.type === commonNameOid) return atv.value.toString();
    }
  }
  return '';
}
