import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';

/**
 * The key types a transit key can have (spec §8.2) and what each one is for. Every version of
 * every key also carries an HMAC key, so HMAC works with any type; `hmac-sha256` keys do nothing
 * else. XChaCha20 is not in node:crypto, so the ChaCha20 type is the IETF ChaCha20-Poly1305
 * with a 12-byte random nonce, like AES-256-GCM (rotate well before 2^32 messages per version).
 */
export type TransitKeyType = 'aes256-gcm' | 'chacha20-poly1305' | 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'hmac-sha256';

/** TransitKeyUse is the family of operations a key type serves besides HMAC. */
export type TransitKeyUse = 'encryption' | 'signing' | 'hmac';

/** transitKeyTypes lists every key type, the default first. */
export const transitKeyTypes: readonly TransitKeyType[] = [
  'aes256-gcm',
  'chacha20-poly1305',
  'ed25519',
  'ecdsa-p256',
  'ecdsa-p384',
  'hmac-sha256',
];

/** defaultKeyType is the type of a key created without one. */
export const defaultKeyType: TransitKeyType = 'aes256-gcm';

/** aeadCipherOf is node's cipher name of an encryption key type. */
export const aeadCipherOf = {
  'aes256-gcm': 'aes-256-gcm',
  'chacha20-poly1305': 'chacha20-poly1305',
} as const;

/** useOf is what a key type is for. */
export function useOf(type: TransitKeyType): TransitKeyUse {
  switch (type) {
    case 'aes256-gcm':
    case 'chacha20-poly1305':
      return 'encryption';
    case 'ed25519':
    case 'ecdsa-p256':
    case 'ecdsa-p384':
      return 'signing';
    case 'hmac-sha256':
      return 'hmac';
  }
}

/** parseKeyType checks a requested key type; an empty string means the default. */
export function parseKeyType(value: string): TransitKeyType {
  if (value === '') return defaultKeyType;
  if ((transitKeyTypes as readonly string[]).includes(value)) return value as TransitKeyType;
  if (value === 'xchacha20-poly1305') {
    throw new InvalidRequestError('type "xchacha20-poly1305" is not available; use "chacha20-poly1305" (12-byte random nonce)');
  }
  throw new InvalidRequestError(`type "${value}" is not a transit key type; use one of ${transitKeyTypes.join(', ')}`);
}

/**
 * generateMaterial makes the secret of one new key version: 32 random bytes for symmetric and
 * HMAC keys, the PKCS#8 DER private key for signing keys.
 */
export function generateMaterial(type: TransitKeyType): Buffer {
  switch (type) {
    case 'aes256-gcm':
    case 'chacha20-poly1305':
    case 'hmac-sha256':
      return randomBytes(32);
    case 'ed25519':
      return generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });
    case 'ecdsa-p256':
    case 'ecdsa-p384': {
      const namedCurve = type === 'ecdsa-p256' ? 'P-256' : 'P-384';
      return generateKeyPairSync('ec', { namedCurve }).privateKey.export({ format: 'der', type: 'pkcs8' });
    }
  }
}
