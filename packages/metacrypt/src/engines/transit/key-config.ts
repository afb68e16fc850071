import { InvalidRequestError } from '@metacircular/mcdsl';
import type { StoredKey } from './stored-key.js';

/**
 * The rules that keep a key's version bounds consistent: min_available_version (trimmed below)
 * <= min_decryption_version <= min_encryption_version (when set) <= latest_version. Each
 * function checks everything first and then changes the record, so a refused change leaves it
 * untouched.
 */

/** KeyConfigChange is an update-config request; absent fields keep their value. */
export interface KeyConfigChange {
  readonly minDecryptionVersion?: number;
  /** 0 = the latest version */
  readonly minEncryptionVersion?: number;
  readonly deletionAllowed?: boolean;
}

/** applyKeyConfig validates and applies a config change. */
export function applyKeyConfig(key: StoredKey, change: KeyConfigChange): void {
  const minDecryption = change.minDecryptionVersion ?? key.min_decryption_version;
  const minEncryption = change.minEncryptionVersion ?? key.min_encryption_version;
  const latest = key.latest_version;
  if (minDecryption < 1 || minDecryption > latest) {
    throw new InvalidRequestError(`min_decryption_version must be from 1 to the latest version ${latest}, not ${minDecryption}`);
  }
  if (minDecryption < key.min_available_version) {
    throw new InvalidRequestError(
      `min_decryption_version ${minDecryption} is below min_available_version ${key.min_available_version}; older versions were trimmed`,
    );
  }
  if (minEncryption > latest) {
    throw new InvalidRequestError(
      `min_encryption_version must be 0 (latest) or at most the latest version ${latest}, not ${minEncryption}`,
    );
  }
  if (minEncryption !== 0 && minEncryption < minDecryption) {
    throw new InvalidRequestError(
      `min_encryption_version ${minEncryption} is below min_decryption_version ${minDecryption}; new ciphertexts must stay decryptable`,
    );
  }
  key.min_decryption_version = minDecryption;
  key.min_encryption_version = minEncryption;
  if (change.deletionAllowed !== undefined) key.deletion_allowed = change.deletionAllowed;
}

/** applyTrim deletes every version below minAvailable for good. */
export function applyTrim(key: StoredKey, minAvailable: number): void {
  if (minAvailable < 1) throw new InvalidRequestError('min_available_version must be at least 1');
  if (minAvailable < key.min_available_version) {
    throw new InvalidRequestError(
      `min_available_version ${minAvailable} is below the current ${key.min_available_version}; trimmed versions cannot come back`,
    );
  }
  if (minAvailable > key.min_decryption_version) {
    throw new InvalidRequestError(
      `min_available_version ${minAvailable} is above min_decryption_version ${key.min_decryption_version}; raise min_decryption_version first`,
    );
  }
  if (key.min_encryption_version !== 0 && minAvailable > key.min_encryption_version) {
    throw new InvalidRequestError(
      `min_available_version ${minAvailable} is above min_encryption_version ${key.min_encryption_version}; raise min_encryption_version first`,
    );
  }
  for (const n of Object.keys(key.versions)) {
    if (Number(n) < minAvailable) delete key.versions[n];
  }
  key.min_available_version = minAvailable;
}
