import { InvalidRequestError } from '@metacircular/mcdsl';

/**
 * The frame of every transit output (spec §8.2): `metacrypt:v{N}:{base64}` for ciphertexts
 * (nonce | ciphertext | tag), signatures and HMACs, N being the key version that made it.
 */
export const framePrefix = 'metacrypt:v';

const framePattern = /^metacrypt:v([1-9][0-9]{0,9}):([A-Za-z0-9+/]*={0,2})$/;

/** Frame is a parsed frame. */
export interface Frame {
  readonly version: number;
  readonly bytes: Buffer;
}

/** formatFrame writes a frame. */
export function formatFrame(version: number, bytes: Uint8Array): string {
  return `${framePrefix}${version}:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}

/**
 * parseFrame reads a frame; `field` names the request field in errors. The base64 must be
 * canonical (it must re-encode to the same text): node's decoder ignores the spare low bits of
 * the last character, so without this check some altered frames would still decode to the
 * original bytes and be accepted.
 */
export function parseFrame(text: string, field: string): Frame {
  const m = framePattern.exec(text);
  const bytes = m ? Buffer.from(m[2] ?? '', 'base64') : undefined;
  if (!m || !bytes || bytes.length === 0 || bytes.toString('base64') !== m[2]) {
    throw new InvalidRequestError(`${field} must read metacrypt:v<N>:<base64>, as returned by this engine`);
  }
  const version = Number(m[1]);
  if (!Number.isSafeInteger(version) || version > 0xffffffff) {
    throw new InvalidRequestError(`${field} has a version out of range`);
  }
  return { version, bytes };
}
