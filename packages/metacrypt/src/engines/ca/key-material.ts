import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';
import type { LeafKeyType } from './ca-types.js';

/**
 * Key material of the CA engine, all through node:crypto's synchronous API: generating leaf and
 * CA keys, naming a key's type, and signing TBS structures with the signature algorithm the key
 * implies. Signing is synchronous so that issuance (and the CaEngine interface ACME calls) never
 * waits on the event loop; node's ECDSA signatures are already DER, the form X.509 wants.
 */

/** CaKeyType is every key type a CA (root or issuer) key may have; RSA and P-521 only by import. */
export type CaKeyType = LeafKeyType | 'ecdsa-p521' | 'rsa';

/** generatedKeyTypes are the key types Metacrypt generates, for roots, issuers and leaves. */
export const generatedKeyTypes: readonly LeafKeyType[] = ['ecdsa-p256', 'ecdsa-p384', 'ed25519'];

/** SignatureAlgorithm is how a key signs: the X.509 AlgorithmIdentifier and node's digest name. */
export interface SignatureAlgorithm {
  readonly oid: string;
  /** true for RSA, whose AlgorithmIdentifier carries an explicit NULL parameter */
  readonly nullParameters: boolean;
  /** node digest name, or null for Ed25519 (pure EdDSA) */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null;
}

const curves: Readonly<Record<string, LeafKeyType | 'ecdsa-p521'>> = {
  prime256v1: 'ecdsa-p256',
  'P-256': 'ecdsa-p256',
  secp384r1: 'ecdsa-p384',
  'P-384': 'ecdsa-p384',
  secp521r1: 'ecdsa-p521',
  'P-521': 'ecdsa-p521',
};

/** parseKeyType reads a request's key_type field (empty means ecdsa-p256). */
export function parseKeyType(value: string | undefined, field = 'key_type'): LeafKeyType {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return 'ecdsa-p256';
  if ((generatedKeyTypes as readonly string[]).includes(v)) return v as LeafKeyType;
  throw new InvalidRequestError(`${field}: unknown key type ${JSON.stringify(value)}; use ecdsa-p256, ecdsa-p384 or ed25519`);
}

/** generateKey makes a fresh key pair of one of the generated key types. */
export function generateKey(type: LeafKeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (type) {
    case 'ecdsa-p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'ecdsa-p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'ed25519':
      return generateKeyPairSync('ed25519');
  }
}

/** generateLeafKey makes a leaf key pair already encoded: SPKI DER to certify, PKCS#8 PEM to hand out once. */
export function generateLeafKey(type: LeafKeyType): { spki: Buffer; keyPem: string } {
  const publicKeyEncoding = { type: 'spki', format: 'der' } as const;
  const privateKeyEncoding = { type: 'pkcs8', format: 'pem' } as const;
  const pair =
    type === 'ed25519'
      ? generateKeyPairSync('ed25519', { publicKeyEncoding, privateKeyEncoding })
      : generateKeyPairSync('ec', {
          namedCurve: type === 'ecdsa-p384' ? 'P-384' : 'P-256',
          publicKeyEncoding,
          privateKeyEncoding,
        });
  return { spki: pair.publicKey, keyPem: pair.privateKey };
}

/** keyTypeOf names the type of a public or private key, or throws naming `field` if we refuse it. */
export function keyTypeOf(key: KeyObject, field: string): CaKeyType {
  const kind = key.asymmetricKeyType;
  if (kind === 'ed25519') return 'ed25519';
  if (kind === 'ec') {
    const curve = curves[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (curve) return curve;
    throw new InvalidRequestError(`${field}: unsupported elliptic curve; use P-256 or P-384`);
  }
  if (kind === 'rsa') {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
      throw new InvalidRequestError(`${field}: RSA keys must have at least 2048 bits`);
    return 'rsa';
  }
  throw new InvalidRequestError(`${field}: unsupported key type ${JSON.stringify(kind)}; use ECDSA P-256/P-384 or Ed25519`);
}

/** signatureAlgorithmOf is the algorithm a CA key signs certificates and CRLs with. */
export function signatureAlgorithmOf(type: CaKeyType): SignatureAlgorithm {
  switch (type) {
    case 'ecdsa-p256':
      return { oid: '1.2.840.10045.4.3.2', nullParameters: false, hash: 'sha256' };
    case 'ecdsa-p384':
      return { oid: '1.2.840.10045.4.3.3', nullParameters: false, hash: 'sha384' };
    case 'ecdsa-p521':
      return { oid: '1.2.840.10045.4.3.4', nullParameters: false, hash: 'sha512' };
    case 'ed25519':
      return { oid: '1.3.101.112', nullParameters: false, hash: null };
    case 'rsa':
      return { oid: '1.2.840.113549.1.1.11', nullParameters: true, hash: 'sha256' };
  }
}

/** signWith signs `data` with a CA key the way signatureAlgorithmOf(type) says. */
export function signWith(key: KeyObject, type: CaKeyType, data: Uint8Array): Buffer {
  return nodeSign(signatureAlgorithmOf(type).hash, data, key);
}

// Signature algorithms a CSR may be signed with, by OID.
const csrSignatureHashes: Readonly<Record<string, 'sha256' | 'sha384' | 'sha512' | null>> = {
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null,
};

/** verifySignature checks a signature made by `publicKey` with the algorithm `oid` (ECDSA or Ed25519). */
export function verifySignature(oid: string, publicKey: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  if (!(oid in csrSignatureHashes)) return false;
  try {
    return nodeVerify(csrSignatureHashes[oid] ?? null, data, publicKey, signature);
  } catch {
    return false;
  }
}

/** importPrivateKey reads a PEM private key (PKCS#8, SEC1 or PKCS#1), refusing encrypted ones. */
export function importPrivateKey(pem: string, field: string): KeyObject {
  if (/ENCRYPTED/.test(pem)) throw new InvalidRequestError(`${field}: the key is encrypted; give the unencrypted key`);
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new InvalidRequestError(`${field}: not a PEM private key`, { cause: err });
  }
}

/** privateKeyFromDer loads a PKCS#8 DER key as stored in the barrier. */
export function privateKeyFromDer(der: Buffer): KeyObject {
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/** publicKeyFromSpki loads a SubjectPublicKeyInfo DER. */
export function publicKeyFromSpki(der: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });
}

/** spkiOf returns the SubjectPublicKeyInfo DER of a key (the public half of a private key). */
export function spkiOf(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ format: 'der', type: 'spki' });
}
