import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';

/** AeadCipher is node's name of a transit encryption cipher. */
export type AeadCipher = 'aes-256-gcm' | 'chacha20-poly1305';

const nonceLength = 12;
const tagLength = 16;

/**
 * decryptFailed is the one answer to any ciphertext that does not authenticate (wrong key
 * version, altered bytes, other context): it says nothing about which check failed.
 */
export function decryptFailed(): InvalidRequestError {
  return new InvalidRequestError('ciphertext could not be decrypted', { code: 'ERR_TRANSIT_DECRYPT' });
}

/** aeadSeal encrypts with a fresh random nonce and returns nonce | ciphertext | tag. */
export function aeadSeal(cipher: AeadCipher, key: KeyObject, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  const nonce = randomBytes(nonceLength);
  // one call per cipher: node's typings pick the AEAD overload from the literal name
  const c =
    cipher === 'aes-256-gcm'
      ? createCipheriv(cipher, key, nonce, { authTagLength: tagLength })
      : createCipheriv(cipher, key, nonce, { authTagLength: tagLength });
  if (aad.length > 0) c.setAAD(aad);
  const body = c.update(plaintext);
  const last = c.final();
  return Buffer.concat([nonce, body, last, c.getAuthTag()]);
}

/** aeadOpen reverses aeadSeal; any failure is decryptFailed(). */
export function aeadOpen(cipher: AeadCipher, key: KeyObject, sealed: Uint8Array, aad: Uint8Array): Buffer {
  if (sealed.length < nonceLength + tagLength) throw decryptFailed();
  const nonce = sealed.subarray(0, nonceLength);
  const body = sealed.subarray(nonceLength, sealed.length - tagLength);
  const tag = sealed.subarray(sealed.length - tagLength);
  let out: Buffer | undefined;
  try {
    const d =
      cipher === 'aes-256-gcm'
        ? createDecipheriv(cipher, key, nonce, { authTagLength: tagLength })
        : createDecipheriv(cipher, key, nonce, { authTagLength: tagLength });
    d.setAuthTag(tag);
    if (aad.length > 0) d.setAAD(aad);
    out = d.update(body);
    const last = d.final();
    return last.length === 0 ? out : Buffer.concat([out, last]);
  } catch {
    // the unauthenticated plaintext never leaves this function
    out?.fill(0);
    throw decryptFailed();
  }
}
