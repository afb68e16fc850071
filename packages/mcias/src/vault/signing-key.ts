import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';

/** PublicJWK is an Ed25519 public key as a JWK (RFC 8037) with its RFC 7638 thumbprint as kid. */
export interface PublicJWK {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly use: 'sig';
  readonly alg: 'EdDSA';
}

/** SigningKey is the server's Ed25519 token signing key, held only while the vault is unsealed. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: PublicJWK;
}

/** generateSigningKeyDER makes a new Ed25519 key and returns it as PKCS#8 DER (for the vault box). */
export function generateSigningKeyDER(): Buffer {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'der', type: 'pkcs8' });
}

/**
 * signingKeyFromDER loads a PKCS#8 DER Ed25519 key and derives its public JWK and kid. The
 * caller zeroes the DER buffer afterwards; node keeps the key itself in a KeyObject, which
 * cannot be wiped, so sealing drops every reference to it.
 */
export async function signingKeyFromDER(der: Buffer): Promise<SigningKey> {
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('signing key is not an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  const x = (publicKey.export({ format: 'jwk' }) as { x?: string }).x ?? '';
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x }, 'sha256');
  return { privateKey, publicKey, jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, use: 'sig', alg: 'EdDSA' } };
}
