import { InvalidRequestError } from '@metacircular/mcdsl';
import { generateMaterial, type TransitKeyType } from './key-types.js';

/**
 * StoredKey is a named key as it lives in the barrier at `keys/{name}` (spec §8.2): the whole
 * key, every version's secret included, in one JSON record, so a change (rotate, config, trim)
 * is one atomic write. Secrets are base64. Only the engine reads this; the API sees
 * TransitKeyInfo, which never has material.
 */
export interface StoredKey {
  readonly name: string;
  readonly type: TransitKeyType;
  latest_version: number;
  min_decryption_version: number;
  /** 0 = the latest version */
  min_encryption_version: number;
  min_available_version: number;
  deletion_allowed: boolean;
  /** keys are never exportable; kept so the record reads like the spec's */
  readonly exportable: false;
  readonly created_at: string;
  updated_at: string;
  versions: Record<string, StoredKeyVersion>;
}

/** StoredKeyVersion is one version's secret. */
export interface StoredKeyVersion {
  /** raw key (symmetric, HMAC) or PKCS#8 DER private key (signing), base64 */
  readonly material: string;
  /** the version's HMAC key, base64; absent for hmac-sha256 keys, whose material is the HMAC key */
  readonly hmac_key?: string;
  readonly created_at: string;
}

/** TransitKeyInfo is a key's metadata, as the API returns it. */
export interface TransitKeyInfo {
  readonly name: string;
  readonly type: TransitKeyType;
  readonly latestVersion: number;
  readonly minDecryptionVersion: number;
  readonly minEncryptionVersion: number;
  readonly minAvailableVersion: number;
  readonly deletionAllowed: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly versions: readonly TransitKeyVersionInfo[];
}

/** TransitKeyVersionInfo is one version's metadata; signing keys show their public key. */
export interface TransitKeyVersionInfo {
  readonly version: number;
  readonly createdAt: Date;
  /** SPKI PEM, for ed25519 and ecdsa keys */
  readonly publicKeyPem?: string;
}

const keyNamePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/**
 * checkKeyName refuses names that would not fit the policy resource `transit/{mount}/keys/{name}`
 * (a '/' or a glob character would change which rules match).
 */
export function checkKeyName(name: string): string {
  if (!keyNamePattern.test(name)) {
    throw new InvalidRequestError(
      `name ${JSON.stringify(name)} is not a valid key name; use 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit`,
    );
  }
  return name;
}

/** keyPath is where a key lives in the mount's barrier view. */
export function keyPath(name: string): string {
  return `keys/${name}`;
}

/** newStoredKey builds a key with its first version. */
export function newStoredKey(name: string, type: TransitKeyType, now: Date): StoredKey {
  const at = now.toISOString();
  return {
    name,
    type,
    latest_version: 1,
    min_decryption_version: 1,
    min_encryption_version: 0,
    min_available_version: 1,
    deletion_allowed: false,
    exportable: false,
    created_at: at,
    updated_at: at,
    versions: { '1': newVersion(type, at) },
  };
}

/** newVersion generates a version's secrets. */
export function newVersion(type: TransitKeyType, at: string): StoredKeyVersion {
  const material = generateMaterial(type);
  const version: StoredKeyVersion =
    type === 'hmac-sha256'
      ? { material: material.toString('base64'), created_at: at }
      : { material: material.toString('base64'), hmac_key: generateMaterial('hmac-sha256').toString('base64'), created_at: at };
  material.fill(0);
  return version;
}
