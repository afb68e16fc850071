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

/**
 * openBlob decrypts a sealed blob; any mismatch (key, aad, bytes, version) throws DecryptError.
 * It returns the decipher's own output buffer (GCM's final() adds no bytes), so the caller's
 * fill(0) zeroes the only copy of the plaintext: concatenating would leave the first copy (a
 * MEK or DEK among them) in the heap. Unauthenticated output is zeroed before the error.
 */
export function openBlob(key: Buffer, blob: Buffer, aad: string): Buffer {
  if (blob.length < overhead || blob[0] !== blobVersion) throw new DecryptError('barrier entry has an unknown format');
  const nonce = blob.subarray(1, 1 + nonceLength);
  const tag = blob.subarray(blob.length - tagLength);
  const body = blob.subarray(1 + nonceLength, blob.length - tagLength);
  let plain: Buffer | undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: tagLength });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    plain = decipher.update(body);
    const rest = decipher.final();
    if (rest.length === 0) return plain;
    const joined = Buffer.concat([plain, rest]);
    plain.fill(0);
    return joined;
  } catch (err) {
    plain?.fill(0);
    throw Object.assign(new DecryptError(), { cause: err });
  }
}
