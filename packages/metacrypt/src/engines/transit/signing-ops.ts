import { createHmac, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { formatFrame, parseFrame } from './cipher-frame.js';
import type { LiveKey, VersionKeys } from './live-key.js';

/**
 * The per-item work of sign, verify, hmac and verify-hmac (the engine has already checked
 * policy and the key's type). ECDSA signatures are DER (what node:crypto, OpenSSL and WebPKI
 * tools verify by default); Ed25519 is pure Ed25519 over the input itself.
 */

/** SignInput is one message to sign. */
export interface SignInput {
  readonly input: Uint8Array;
  /** ecdsa: 'sha256' (default), 'sha384', 'sha512'; must be empty for ed25519 */
  readonly hash?: string;
  readonly keyVersion?: number;
}

/** SignOutput is a framed signature. */
export interface SignOutput {
  readonly signature: string;
  readonly keyVersion: number;
}

/** VerifyInput is a message and a framed signature to check. */
export interface VerifyInput {
  readonly input: Uint8Array;
  readonly signature: string;
  readonly hash?: string;
}

/** HmacInput is one message to MAC. */
export interface HmacInput {
  readonly input: Uint8Array;
  /** 'sha256' (default), 'sha384' or 'sha512' */
  readonly algorithm?: string;
  readonly keyVersion?: number;
}

/** HmacOutput is a framed HMAC. */
export interface HmacOutput {
  readonly hmac: string;
  readonly keyVersion: number;
}

/** VerifyHmacInput is a message and a framed HMAC to check. */
export interface VerifyHmacInput {
  readonly input: Uint8Array;
  readonly hmac: string;
  readonly algorithm?: string;
}

const hashes = ['sha256', 'sha384', 'sha512'];

function digestOf(key: LiveKey, hash: string | undefined): string | null {
  if (key.info.type === 'ed25519') {
    if (hash) throw new InvalidRequestError('hash does not apply to ed25519 keys, which sign the input itself; leave it out');
    return null;
  }
  const h = hash || 'sha256';
  if (!hashes.includes(h)) throw new InvalidRequestError(`hash must be one of ${hashes.join(', ')}, not ${JSON.stringify(h)}`);
  return h;
}

function hmacAlgorithm(algorithm: string | undefined): string {
  const a = algorithm || 'sha256';
  if (!hashes.includes(a))
    throw new InvalidRequestError(`algorithm must be one of ${hashes.join(', ')}, not ${JSON.stringify(a)}`);
  return a;
}

// The engine checks the key's type before calling in here; these only guard that promise.
function privateOf(key: LiveKey, keys: VersionKeys): KeyObject {
  if (!keys.privateKey) throw new InvalidRequestError(`key "${key.info.name}" is not a signing key`);
  return keys.privateKey;
}

function publicOf(key: LiveKey, keys: VersionKeys): KeyObject {
  if (!keys.publicKey) throw new InvalidRequestError(`key "${key.info.name}" is not a signing key`);
  return keys.publicKey;
}

/** signWith signs one message. */
export function signWith(key: LiveKey, input: SignInput): SignOutput {
  const digest = digestOf(key, input.hash);
  const { version, keys } = key.forEncryption(input.keyVersion ?? 0);
  const signature = sign(digest, input.input, privateOf(key, keys));
  return { signature: formatFrame(version, signature), keyVersion: version };
}

/** verifyWith checks one signature; a well-framed but wrong signature is simply false. */
export function verifyWith(key: LiveKey, input: VerifyInput): boolean {
  const digest = digestOf(key, input.hash);
  const frame = parseFrame(input.signature, 'signature');
  const keys = key.forDecryption(frame.version, 'signature');
  try {
    return verify(digest, input.input, publicOf(key, keys), frame.bytes);
  } catch {
    // malformed DER: not a signature of this key
    return false;
  }
}

/** hmacWith computes one HMAC with the version's HMAC key. */
export function hmacWith(key: LiveKey, input: HmacInput): HmacOutput {
  const algorithm = hmacAlgorithm(input.algorithm);
  const { version, keys } = key.forEncryption(input.keyVersion ?? 0);
  const mac = createHmac(algorithm, keys.hmac).update(input.input).digest();
  return { hmac: formatFrame(version, mac), keyVersion: version };
}

/** verifyHmacWith recomputes the HMAC and compares in constant time. */
export function verifyHmacWith(key: LiveKey, input: VerifyHmacInput): boolean {
  const algorithm = hmacAlgorithm(input.algorithm);
  const frame = parseFrame(input.hmac, 'hmac');
  const keys = key.forDecryption(frame.version, 'hmac');
  const expected = createHmac(algorithm, keys.hmac).update(input.input).digest();
  // the length is public (it follows from the algorithm); only the bytes need constant time
  return expected.length === frame.bytes.length && timingSafeEqual(expected, frame.bytes);
}
