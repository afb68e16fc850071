import { createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { useOf } from './key-types.js';
import type { StoredKey, TransitKeyInfo, TransitKeyVersionInfo } from './stored-key.js';

/** VersionKeys are one version's imported key objects. */
export interface VersionKeys {
  /** the AEAD key of an encryption key */
  readonly secret?: KeyObject;
  readonly privateKey?: KeyObject;
  readonly publicKey?: KeyObject;
  readonly hmac: KeyObject;
}

/**
 * LiveKey is a key as the open engine keeps it in memory: its metadata and every available
 * version imported once into node KeyObjects, so an operation costs one cipher call and no
 * parsing. The base64 secrets of the stored record are decoded into scratch buffers that are
 * zeroed right after import; the record itself is not kept.
 */
export class LiveKey {
  readonly info: TransitKeyInfo;
  private readonly keys = new Map<number, VersionKeys>();

  constructor(stored: StoredKey) {
    const versions: TransitKeyVersionInfo[] = [];
    for (const [n, v] of Object.entries(stored.versions)) {
      const version = Number(n);
      const material = Buffer.from(v.material, 'base64');
      const hmacRaw = v.hmac_key === undefined ? material : Buffer.from(v.hmac_key, 'base64');
      try {
        const keys = importVersion(stored, material, hmacRaw);
        this.keys.set(version, keys);
        const publicKeyPem = keys.publicKey?.export({ format: 'pem', type: 'spki' }).toString();
        versions.push({ version, createdAt: new Date(v.created_at), ...(publicKeyPem ? { publicKeyPem } : {}) });
      } finally {
        material.fill(0);
        hmacRaw.fill(0);
      }
    }
    versions.sort((a, b) => a.version - b.version);
    this.info = {
      name: stored.name,
      type: stored.type,
      latestVersion: stored.latest_version,
      minDecryptionVersion: stored.min_decryption_version,
      minEncryptionVersion: stored.min_encryption_version,
      minAvailableVersion: stored.min_available_version,
      deletionAllowed: stored.deletion_allowed,
      createdAt: new Date(stored.created_at),
      updatedAt: new Date(stored.updated_at),
      versions,
    };
  }

  /**
   * forEncryption picks the version new ciphertexts, signatures and HMACs use: the latest for 0,
   * otherwise the requested one, which must exist and be at least min_encryption_version (and
   * min_decryption_version, or the result could never be decrypted or verified).
   */
  forEncryption(requested: number): { version: number; keys: VersionKeys } {
    const { latestVersion, minEncryptionVersion, minDecryptionVersion, name } = this.info;
    const version = requested === 0 ? latestVersion : requested;
    if (version > latestVersion) {
      throw new InvalidRequestError(`key_version ${version} does not exist for key "${name}"; the latest is ${latestVersion}`);
    }
    if (version < minEncryptionVersion) {
      throw new InvalidRequestError(
        `key_version ${version} is below the key's min_encryption_version ${minEncryptionVersion}; use a newer version or leave it out`,
      );
    }
    if (version < minDecryptionVersion) {
      throw new InvalidRequestError(
        `key_version ${version} is below the key's min_decryption_version ${minDecryptionVersion}; use a newer version or leave it out`,
      );
    }
    return { version, keys: this.versionKeys(version) };
  }

  /**
   * forDecryption picks the version that made a ciphertext, signature or HMAC (`what` names it
   * in errors); versions under min_decryption_version are refused.
   */
  forDecryption(version: number, what: string): VersionKeys {
    const { latestVersion, minDecryptionVersion, name } = this.info;
    if (version < minDecryptionVersion) {
      throw new InvalidRequestError(
        `${what} version ${version} is below the key's min_decryption_version ${minDecryptionVersion}`,
      );
    }
    if (version > latestVersion) throw new InvalidRequestError(`${what} version ${version} does not exist for key "${name}"`);
    return this.versionKeys(version);
  }

  private versionKeys(version: number): VersionKeys {
    const keys = this.keys.get(version);
    // min_available_version <= min_decryption_version, so a checked version is always present
    if (!keys) throw new InvalidRequestError(`version ${version} of key "${this.info.name}" was trimmed`);
    return keys;
  }
}

function importVersion(stored: StoredKey, material: Buffer, hmacRaw: Buffer): VersionKeys {
  const hmac = createSecretKey(hmacRaw);
  switch (useOf(stored.type)) {
    case 'encryption':
      return { secret: createSecretKey(material), hmac };
    case 'signing': {
      const privateKey = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
      return { privateKey, publicKey: createPublicKey(privateKey), hmac };
    }
    case 'hmac':
      return { hmac };
  }
}
