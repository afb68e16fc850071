import type { KeyObject } from 'node:crypto';
import { bits, explicit, integer, oid, seq, tlv, time } from './der.js';
import { signatureAlgorithmOf, signWith, type CaKeyType } from './key-material.js';

/**
 * certificate-builder assembles and signs X.509 v3 certificates and v2 CRLs (RFC 5280 4.1 and
 * 5.1) from DER pieces: the signer's subject and the certified key go in as the exact bytes we
 * hold, extensions come encoded from certificate-extensions.ts, and node:crypto signs
 * synchronously (so issuance, and the CaEngine interface ACME calls, never waits on the event loop).
 */

/** Signer is a CA key ready to sign: its private key, its type and its certificate's subject. */
export interface Signer {
  readonly key: KeyObject;
  readonly keyType: CaKeyType;
  /** the signer's subject Name, DER; it becomes the issuer of what it signs */
  readonly name: Buffer;
}

/** CertificateTemplate is everything of a certificate except its issuer and signature. */
export interface CertificateTemplate {
  /** positive serial as big-endian bytes */
  readonly serial: Uint8Array;
  /** subject Name, DER */
  readonly subject: Buffer;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SubjectPublicKeyInfo DER of the certified key */
  readonly spki: Uint8Array;
  /** encoded Extension elements */
  readonly extensions: readonly Buffer[];
}

const algorithmIds = new Map<CaKeyType, Buffer>();

/** algorithmIdentifier is the signature AlgorithmIdentifier of a CA key type, DER. */
export function algorithmIdentifier(type: CaKeyType): Buffer {
  let der = algorithmIds.get(type);
  if (!der) {
    const alg = signatureAlgorithmOf(type);
    der = alg.nullParameters ? seq(oid(alg.oid), tlv(0x05, Buffer.alloc(0))) : seq(oid(alg.oid));
    algorithmIds.set(type, der);
  }
  return der;
}

/** signCertificate builds the TBSCertificate of `template`, signs it with `signer` and returns the certificate DER. */
export function signCertificate(template: CertificateTemplate, signer: Signer): Buffer {
  const algorithm = algorithmIdentifier(signer.keyType);
  const tbs = seq(
    explicit(0, integer(2)), // version v3
    integer(template.serial),
    algorithm,
    signer.name,
    seq(time(template.notBefore), time(template.notAfter)),
    template.subject,
    Buffer.from(template.spki),
    explicit(3, seq(...template.extensions)),
  );
  return seq(tbs, algorithm, bits(signWith(signer.key, signer.keyType, tbs)));
}

/** CrlEntry is one revoked certificate on a CRL. */
export interface CrlEntry {
  readonly serialHex: string;
  readonly revokedAt: Date;
  /** the entry's reasonCode extension, or undefined for "unspecified" (RFC 5280 5.3.1: leave it out) */
  readonly reasonExtension: Buffer | undefined;
}

/** CrlTemplate is everything of a CRL except its issuer and signature. */
export interface CrlTemplate {
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly entries: readonly CrlEntry[];
  /** encoded CRL extensions (authority key identifier, CRL number) */
  readonly extensions: readonly Buffer[];
}

/** signCrl builds a v2 CRL and signs it with `signer`, returning the DER. */
export function signCrl(template: CrlTemplate, signer: Signer): Buffer {
  const algorithm = algorithmIdentifier(signer.keyType);
  const revoked = template.entries.map((e) =>
    seq(integer(Buffer.from(e.serialHex, 'hex')), time(e.revokedAt), ...(e.reasonExtension ? [seq(e.reasonExtension)] : [])),
  );
  const tbs = seq(
    integer(1), // version v2
    algorithm,
    signer.name,
    time(template.thisUpdate),
    time(template.nextUpdate),
    ...(revoked.length > 0 ? [seq(...revoked)] : []),
    explicit(0, seq(...template.extensions)),
  );
  return seq(tbs, algorithm, bits(signWith(signer.key, signer.keyType, tbs)));
}
