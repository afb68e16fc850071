import { createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * Raw X25519 keys (RFC 7748): 32-byte public and private values, the form the envelope and the
 * API carry. node:crypto wants DER, so the fixed SPKI / PKCS#8 prefixes of the X25519 OID
 * (1.3.101.110) are added and removed here, in one place.
 */

const spkiPrefix = Buffer.from('302a300506032b656e032100', 'hex');
const pkcs8Prefix = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** X25519KeyPair holds raw key bytes; callers zero `privateKey` when done with it. */
export interface X25519KeyPair {
  readonly publicKey: Buffer;
  readonly privateKey: Buffer;
}

/** generateX25519 makes a fresh key pair from the CSPRNG. */
export function generateX25519(): X25519KeyPair {
  const pair = generateKeyPairSync('x25519');
  const spki = pair.publicKey.export({ format: 'der', type: 'spki' });
  const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
  const keys = {
    publicKey: Buffer.from(spki.subarray(spkiPrefix.length)),
    privateKey: Buffer.from(pkcs8.subarray(pkcs8Prefix.length)),
  };
  pkcs8.fill(0);
  return keys;
}

/** x25519PublicKeyOf derives the raw public key of a raw private key. */
export function x25519PublicKeyOf(privateKey: Uint8Array): Buffer {
  const spki = createPublicKey(privateKeyObject(privateKey)).export({ format: 'der', type: 'spki' });
  return Buffer.from(spki.subarray(spkiPrefix.length));
}

/**
 * x25519 computes the shared secret of a raw private key and a raw public key. It throws on a
 * bad key or an all-zero result (a low-order public key), so a forged ephemeral key cannot force
 * a known secret.
 */
export function x25519(privateKey: Uint8Array, publicKey: Uint8Array): Buffer {
  if (privateKey.length !== 32 || publicKey.length !== 32) throw new Error('x25519 keys are 32 bytes');
  const shared = diffieHellman({ privateKey: privateKeyObject(privateKey), publicKey: publicKeyObject(publicKey) });
  if (shared.every((b) => b === 0)) throw new Error('x25519 produced the all-zero secret');
  return shared;
}

function privateKeyObject(raw: Uint8Array): KeyObject {
  const der = Buffer.concat([pkcs8Prefix, raw]);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}

function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([spkiPrefix, raw]), format: 'der', type: 'spki' });
}
