import { randomBytes } from 'node:crypto';
import { NotFoundError } from '@metacircular/mcdsl';
import type { BarrierView } from '../../engine/index.js';
import { generateX25519 } from './x25519.js';

/**
 * Storage of user key pairs in the mount's barrier view (sealed with the mount's DEK):
 *   users/{username}          JSON: public keys of every version, latest version, timestamps
 *   private/{username}/{n}    the raw 32-byte X25519 private key of version n
 *   mac-key                   the mount's 32-byte envelope attestation key (envelope-mac.ts)
 * Private keys sit in their own binary entries so they are read into a Buffer that is zeroed
 * after use, never into an immutable string. Usernames are URI-encoded in paths, so no name can
 * reach another user's entries.
 */

/** UserKeyInfo is the public view of a user's current key. */
export interface UserKeyInfo {
  readonly username: string;
  readonly algorithm: 'x25519';
  readonly version: number;
  readonly publicKey: Buffer;
  readonly createdAt: Date;
}

const macKeyPath = 'mac-key';

interface StoredUserKeys {
  username: string;
  algorithm: 'x25519';
  latest_version: number;
  versions: Record<string, { public_key: string; created_at: string }>;
}

/** UserKeyStore reads and writes one mount's user keys. */
export class UserKeyStore {
  readonly #view: BarrierView;
  readonly #now: () => Date;

  constructor(view: BarrierView, now: () => Date) {
    this.#view = view;
    this.#now = now;
  }

  /** current returns the user's latest key, or undefined when the user has not registered. */
  current(username: string): UserKeyInfo | undefined {
    const stored = this.#record(username);
    return stored === undefined ? undefined : infoOf(stored, stored.latest_version);
  }

  /** version returns one key version's public part, or undefined. */
  version(username: string, version: number): UserKeyInfo | undefined {
    const stored = this.#record(username);
    return stored?.versions[String(version)] === undefined ? undefined : infoOf(stored, version);
  }

  /** privateKey returns a copy of the raw private key of one version; the caller zeroes it. */
  privateKey(username: string, version: number): Buffer | undefined {
    return this.#view.get(`private/${segment(username)}/${version}`);
  }

  /** register creates version 1 for a new user, or returns the existing current key. */
  register(username: string): { info: UserKeyInfo; created: boolean } {
    return this.#view.transaction(() => {
      const existing = this.current(username);
      if (existing !== undefined) return { info: existing, created: false };
      const stored: StoredUserKeys = { username, algorithm: 'x25519', latest_version: 0, versions: {} };
      return { info: this.#addVersion(stored), created: true };
    });
  }

  /** rotate adds a new key version; older versions stay for decryption. */
  rotate(username: string): UserKeyInfo {
    return this.#view.transaction(() => {
      const stored = this.#record(username);
      if (stored === undefined) throw notRegistered(username);
      return this.#addVersion(stored);
    });
  }

  /** delete removes every key version of a user; NotFoundError when there is none. */
  delete(username: string): number {
    return this.#view.transaction(() => {
      const stored = this.#record(username);
      if (stored === undefined) throw notRegistered(username);
      for (const path of this.#view.list(`private/${segment(username)}/`)) this.#view.delete(path);
      this.#view.delete(`users/${segment(username)}`);
      return Object.keys(stored.versions).length;
    });
  }

  /** macKey returns a copy of the mount's envelope mac key, creating it on first use; the caller zeroes it. */
  macKey(): Buffer {
    return this.#view.transaction(() => {
      const existing = this.#view.get(macKeyPath);
      if (existing !== undefined) return existing;
      const key = randomBytes(32);
      this.#view.put(macKeyPath, key);
      return key;
    });
  }

  #record(username: string): StoredUserKeys | undefined {
    return this.#view.getJSON<StoredUserKeys>(`users/${segment(username)}`);
  }

  #addVersion(stored: StoredUserKeys): UserKeyInfo {
    const pair = generateX25519();
    try {
      const version = stored.latest_version + 1;
      this.#view.put(`private/${segment(stored.username)}/${version}`, pair.privateKey);
      const next: StoredUserKeys = {
        ...stored,
        latest_version: version,
        versions: {
          ...stored.versions,
          [String(version)]: { public_key: pair.publicKey.toString('base64'), created_at: this.#now().toISOString() },
        },
      };
      this.#view.putJSON(`users/${segment(stored.username)}`, next);
      return infoOf(next, version);
    } finally {
      pair.privateKey.fill(0);
    }
  }
}

/** notRegistered is the 404 for a user without keys on the mount. */
export function notRegistered(username: string): NotFoundError {
  return new NotFoundError(
    `user ${JSON.stringify(username)} has no key on this mount; they must register first (POST /v1/user/{mount}/register)`,
  );
}

function infoOf(stored: StoredUserKeys, version: number): UserKeyInfo {
  const v = stored.versions[String(version)];
  if (v === undefined) throw new NotFoundError(`key version ${version} of ${JSON.stringify(stored.username)} does not exist`);
  return {
    username: stored.username,
    algorithm: stored.algorithm,
    version,
    publicKey: Buffer.from(v.public_key, 'base64'),
    createdAt: new Date(v.created_at),
  };
}

function segment(username: string): string {
  return encodeURIComponent(username);
}
