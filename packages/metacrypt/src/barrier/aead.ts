import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The barrier's one AEAD format (spec §3.2): `0x01 | nonce(12) | ciphertext | tag(16)`,
 * AES-256-GCM with a fresh random nonce per write and the caller's AAD (the entry's full path,
 * or a key-wrapping label). The leading byte is the format version, so a later format can be
 * read side by side.
 */

/** blobVersion is the first byte of every sealed blob. */
export const blobVersion = 0x01;
const nonceLength = 12;
const tagLength = 16;
const overhead = 1 + nonceLength + tagLength;

/** DecryptError is thrown when a blob does not open: wrong key, wrong AAD (path) or tampering. */
export class DecryptError extends Error {
  constructor(message = 'barrier entry failed to decrypt') {
    super(message);
    this.name = 'DecryptError';
  }
}

/** sealBlob encrypts plaintext under a 32-byte key bound to aad. */
export function sealBlob(key: Buffer, plaintext: Uint8Array, aad: string): Buffer {
  const nonce = randomBytes(nonceLength);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: tagLength });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(blobVersion), nonce, body, cipher.getAuthTag()]);
}

/** openBlob decrypts a sealed blob; any mismatch (key, aad, bytes, version) throws DecryptError. */
export function openBlob(key: Buffer, blob: Buffer, aad: string): Buffer {
  if (blob.length < overhead || blob[0] !== blobVersion) throw new DecryptError('barrier entry has an unknown format');
  const nonce = blob.subarray(1, 1 + nonceLength);
  const tag = blob.subarray(blob.length - tagLength);
  const body = blob.subarray(1 + nonceLength, blob.length - tagLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: tagLength });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (err) {
    throw Object.assign(new DecryptError(), { cause: err });
  }
}
