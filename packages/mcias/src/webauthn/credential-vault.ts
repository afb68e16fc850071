import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { VaultStore } from '../store/index.js';
import { serverSecretAAD, type Vault } from '../vault/index.js';

/** lookupKeyName is the server_secrets row of the key credential ids are HMACed with. */
const lookupKeyName = 'webauthn_lookup_key';

/** credentialAAD binds a credential's boxes to their account, their row and their column. */
export function credentialAAD(accountUuid: string, recordUuid: string, part: 'credential_id' | 'public_key'): string {
  return `mcias:webauthn:${accountUuid}:${recordUuid}:${part}`;
}

/**
 * CredentialVault keeps WebAuthn credential material out of the database in clear (spec 1.4):
 * the authenticator's credential id and public key are vault boxes bound to their row, and the
 * login lookup goes through HMAC-SHA256(lookup key, credential id), so the column can be
 * indexed and UNIQUE without holding the id. The lookup key is 32 random bytes kept as a server
 * secret (a vault box, made on first use) and cached in memory until the vault seals.
 */
export class CredentialVault {
  readonly #vault: Vault;
  readonly #store: VaultStore;
  readonly #now: Clock;
  #lookupKey: Buffer | undefined;

  constructor(opts: { vault: Vault; store: VaultStore; now: Clock }) {
    this.#vault = opts.vault;
    this.#store = opts.store;
    this.#now = opts.now;
    this.#vault.onSeal(() => {
      this.#lookupKey?.fill(0);
      this.#lookupKey = undefined;
    });
  }

  /** lookupHmac is the indexed stand-in for a credential id (SealedError while sealed). */
  lookupHmac(credentialId: Buffer): Buffer {
    return createHmac('sha256', this.#key()).update(credentialId).digest();
  }

  /**
   * decoyId is what login begin lists for a username without passkeys: stable per name (asking
   * twice gives the same answer), 32 bytes like the ids common authenticators make, and
   * indistinguishable from a real id without the key.
   */
  decoyId(username: string): Buffer {
    return createHmac('sha256', this.#key()).update(`mcias:webauthn:decoy:${username}`, 'utf8').digest();
  }

  /** seal boxes one part of a credential for its row. */
  seal(plain: Buffer, aad: string): Buffer {
    return this.#vault.encrypt(plain, aad);
  }

  /** open opens a box made by seal with the same AAD. */
  open(box: Buffer, aad: string): Buffer {
    return this.#vault.decrypt(box, aad);
  }

  #key(): Buffer {
    if (this.#lookupKey !== undefined) return this.#lookupKey;
    const aad = serverSecretAAD(lookupKeyName);
    let box = this.#store.secret(lookupKeyName);
    if (box === undefined) {
      // Synchronous from read to write, so two first uses cannot make two different keys.
      const fresh = randomBytes(32);
      box = this.#vault.encrypt(fresh, aad);
      fresh.fill(0);
      this.#store.putSecret(lookupKeyName, box, this.#now());
    }
    this.#lookupKey = this.#vault.decrypt(box, aad);
    return this.#lookupKey;
  }
}
