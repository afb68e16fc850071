import { randomBytes, type KeyObject } from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { aeadOpen, aeadSeal } from './aead.js';
import { formatFrame, parseFrame } from './cipher-frame.js';
import { aeadCipherOf } from './key-types.js';
import type { LiveKey, VersionKeys } from './live-key.js';

/**
 * The per-item work of encrypt, decrypt, rewrap and datakey on an encryption key (the engine
 * has already checked policy and the key's type). The caller's context is the AEAD's
 * additional data: decrypt must present the same bytes.
 */

/** EncryptInput is one plaintext to encrypt. */
export interface EncryptInput {
  readonly plaintext: Uint8Array;
  readonly context?: Uint8Array;
  /** 0 or absent: the latest version */
  readonly keyVersion?: number;
}

/** EncryptOutput is a framed ciphertext and the version that made it. */
export interface EncryptOutput {
  readonly ciphertext: string;
  readonly keyVersion: number;
}

/** DecryptInput is one framed ciphertext to decrypt. */
export interface DecryptInput {
  readonly ciphertext: string;
  readonly context?: Uint8Array;
}

/** DecryptOutput is the plaintext and the version that had made the ciphertext. */
export interface DecryptOutput {
  readonly plaintext: Buffer;
  readonly keyVersion: number;
}

/** RewrapInput is a ciphertext to re-encrypt under a newer (by default the latest) version. */
export interface RewrapInput extends DecryptInput {
  readonly keyVersion?: number;
}

/** DataKeyInput asks for a fresh data key for envelope encryption. */
export interface DataKeyInput {
  /** 128 or 256 (default) */
  readonly bits?: number;
  /** 'plaintext' (default) also returns the key; 'wrapped' returns only its ciphertext */
  readonly variant?: string;
  readonly context?: Uint8Array;
}

/** DataKeyOutput is the data key's ciphertext, and the key itself for the plaintext variant. */
export interface DataKeyOutput {
  readonly plaintextKey?: Buffer;
  readonly ciphertext: string;
  readonly keyVersion: number;
}

const empty = new Uint8Array(0);

function cipherOf(key: LiveKey) {
  return aeadCipherOf[key.info.type as keyof typeof aeadCipherOf];
}

// The engine checks the key's type before calling in here; this only guards that promise.
function secretOf(key: LiveKey, keys: VersionKeys): KeyObject {
  if (!keys.secret) throw new InvalidRequestError(`key "${key.info.name}" is not an encryption key`);
  return keys.secret;
}

/** encryptWith encrypts one plaintext. */
export function encryptWith(key: LiveKey, input: EncryptInput): EncryptOutput {
  const { version, keys } = key.forEncryption(input.keyVersion ?? 0);
  const sealed = aeadSeal(cipherOf(key), secretOf(key, keys), input.plaintext, input.context ?? empty);
  return { ciphertext: formatFrame(version, sealed), keyVersion: version };
}

/** decryptWith decrypts one ciphertext; every authentication failure reads the same. */
export function decryptWith(key: LiveKey, input: DecryptInput): DecryptOutput {
  const frame = parseFrame(input.ciphertext, 'ciphertext');
  const keys = key.forDecryption(frame.version, 'ciphertext');
  const plaintext = aeadOpen(cipherOf(key), secretOf(key, keys), frame.bytes, input.context ?? empty);
  return { plaintext, keyVersion: frame.version };
}

/** rewrapWith decrypts and re-encrypts inside the engine; the plaintext never leaves it. */
export function rewrapWith(key: LiveKey, input: RewrapInput): EncryptOutput {
  const { plaintext } = decryptWith(key, input);
  try {
    return encryptWith(key, { plaintext, context: input.context ?? empty, keyVersion: input.keyVersion ?? 0 });
  } finally {
    plaintext.fill(0);
  }
}

/** dataKeyWith makes a random data key and encrypts it under the latest version. */
export function dataKeyWith(key: LiveKey, input: DataKeyInput): DataKeyOutput {
  const bits = input.bits === undefined || input.bits === 0 ? 256 : input.bits;
  if (bits !== 128 && bits !== 256) throw new InvalidRequestError(`bits must be 128 or 256, not ${bits}`);
  const variant = input.variant === undefined || input.variant === '' ? 'plaintext' : input.variant;
  if (variant !== 'plaintext' && variant !== 'wrapped') {
    throw new InvalidRequestError(`variant must be "plaintext" or "wrapped", not ${JSON.stringify(variant)}`);
  }
  const dataKey = randomBytes(bits / 8);
  const { ciphertext, keyVersion } = encryptWith(key, { plaintext: dataKey, context: input.context ?? empty });
  if (variant === 'plaintext') return { plaintextKey: dataKey, ciphertext, keyVersion };
  dataKey.fill(0);
  return { ciphertext, keyVersion };
}
