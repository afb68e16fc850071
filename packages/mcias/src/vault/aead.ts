import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { UnauthenticatedError } from '@metacircular/mcdsl';

/**
 * A vault box is how every secret sits at rest: AES-256-GCM with a fresh 12-byte random nonce,
 * laid out as `version (1) || nonce (12) || ciphertext || tag (16)`. The AAD names what the box
 * is for and whose it is ("mcias:totp:<uuid>"), so a box copied into another row or column fails
 * to open instead of decrypting as someone else's secret. The version byte leaves room for a
 * later key-rotation scheme.
 */

const version = 1;
const nonceBytes = 12;
const tagBytes = 16;

/** boxOverhead is how many bytes a box adds to its plaintext. */
export const boxOverhead = 1 + nonceBytes + tagBytes;

/** sealBox encrypts `plaintext` under a 32-byte key, bound to `aad`. */
export function sealBox(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(version), nonce, body, cipher.getAuthTag()]);
}

/**
 * openBox decrypts a box made by sealBox with the same key and AAD. Any mismatch (wrong key,
 * wrong AAD, a flipped bit, a truncated box) is one UnauthenticatedError with code
 * ERR_BOX_OPEN; the caller decides what it means (a wrong passphrase, a corrupt row).
 */
export function openBox(key: Buffer, box: Buffer, aad: string): Buffer {
  const fail = (cause?: unknown) => new UnauthenticatedError('vault box cannot be opened', { code: 'ERR_BOX_OPEN', cause });
  if (box.length < boxOverhead || box[0] !== version) throw fail();
  const nonce = box.subarray(1, 1 + nonceBytes);
  const tag = box.subarray(box.length - tagBytes);
  const body = box.subarray(1 + nonceBytes, box.length - tagBytes);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: tagBytes });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (err) {
    throw fail(err);
  }
}
