import { timingSafeEqual } from 'node:crypto';
import { InvalidRequestError, PreconditionError, SealedError, UnauthenticatedError } from '@metacircular/mcdsl';
import type { Clock } from '../clock.js';
import type { KeySource, VaultStore } from '../store/index.js';
import { openBox, sealBox } from './aead.js';
import { deriveMasterKey, masterKdf, masterKeyBytes, newKdfSalt } from './master-key.js';
import { generateSigningKeyDER, signingKeyFromDER, type SigningKey } from './signing-key.js';

/** verifierAAD and verifierPlaintext make the verifier box: it opens only under the right key. */
const verifierAAD = 'mcias:vault:verifier';
const verifierPlaintext = Buffer.from('mcias vault verifier v1', 'utf8');
/** signingKeyName is the server_secrets row of the Ed25519 token signing key. */
const signingKeyName = 'signing_key';

/** serverSecretAAD is the AAD of a named server secret's box. */
export function serverSecretAAD(name: string): string {
  return `mcias:server_secret:${name}`;
}

/** MasterSecret is what unseals: a passphrase (Argon2id-stretched) or the raw key from a key file. */
export type MasterSecret = { readonly passphrase: string } | { readonly key: Buffer };

/**
 * Vault holds MCIAS's key material in memory: the 32-byte master key and the Ed25519 signing
 * key it protects. It starts sealed. Unsealing checks the master key against the stored
 * verifier box before anything else is decrypted; sealing zeroes the master key and drops the
 * signing key, after which every use throws SealedError (503). Unseals run one at a time.
 *
 * Initialisation (salt, verifier and a new signing key written in one transaction) happens only
 * when the caller allows it: at startup with the configured key and in `mcias init`, never from
 * the network, so nobody can choose the passphrase of a fresh vault through the API.
 */
export class Vault {
  readonly #store: VaultStore;
  readonly #keySource: KeySource;
  readonly #now: Clock;
  readonly #sealListeners: Array<() => void> = [];
  #key: Buffer | undefined;
  #signing: SigningKey | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(opts: { store: VaultStore; keySource: KeySource; now: Clock }) {
    this.#store = opts.store;
    this.#keySource = opts.keySource;
    this.#now = opts.now;
  }

  /** sealed is true until an unseal succeeds, and again after seal(). */
  get sealed(): boolean {
    return this.#key === undefined;
  }

  /** keySource is where this vault's master key comes from (config). */
  get keySource(): KeySource {
    return this.#keySource;
  }

  /** initialized is true once the vault's metadata exists. */
  initialized(): boolean {
    return this.#store.meta() !== undefined;
  }

  /** onSeal registers a listener run after every seal (caches of derived material clear here). */
  onSeal(listener: () => void): void {
    this.#sealListeners.push(listener);
  }

  /**
   * unseal loads the key material. Checks, in order: already unsealed (nothing to do, returns
   * false); the secret matches the configured key source; the vault is initialised (or may be);
   * the master key opens the verifier (else UnauthenticatedError ERR_WRONG_MASTER_KEY, and the
   * derived key is zeroed). Returns true when this call unsealed the vault.
   */
  unseal(secret: MasterSecret, opts: { allowInit: boolean }): Promise<boolean> {
    const run = this.#queue.then(() => this.#unseal(secret, opts));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** seal zeroes the master key and forgets the signing key; false when already sealed. */
  seal(): boolean {
    if (this.#key === undefined) return false;
    this.#key.fill(0);
    this.#key = undefined;
    this.#signing = undefined;
    for (const listener of this.#sealListeners) listener();
    return true;
  }

  /** encrypt seals a secret into a box bound to `aad`; SealedError while sealed. */
  encrypt(plaintext: Buffer, aad: string): Buffer {
    return sealBox(this.#requireKey(), plaintext, aad);
  }

  /** decrypt opens a box made by encrypt with the same AAD; SealedError while sealed. */
  decrypt(box: Buffer, aad: string): Buffer {
    return openBox(this.#requireKey(), box, aad);
  }

  /** signingKey is the token signing key; SealedError while sealed (handlers fail closed). */
  signingKey(): SigningKey {
    if (this.#signing === undefined) throw new SealedError();
    return this.#signing;
  }

  async #unseal(secret: MasterSecret, opts: { allowInit: boolean }): Promise<boolean> {
    if (!this.sealed) return false;
    const given: KeySource = 'passphrase' in secret ? 'passphrase' : 'keyfile';
    if (given !== this.#keySource) {
      throw new InvalidRequestError(
        this.#keySource === 'keyfile'
          ? 'this vault is unsealed with its key file, not a passphrase; fix the key file and unseal with an empty passphrase'
          : 'this vault is unsealed with a passphrase',
        { code: 'ERR_KEY_SOURCE' },
      );
    }
    const meta = this.#store.meta();
    if (meta && meta.keySource !== this.#keySource) {
      throw new PreconditionError(
        `the vault was created with a ${meta.keySource} but the config gives a ${this.#keySource}; restore the [master_key] setting it was created with`,
        { code: 'ERR_KEY_SOURCE' },
      );
    }
    if (!meta && !opts.allowInit) {
      throw new PreconditionError('vault is not initialized; start mcias with its master key configured, or run `mcias init`', {
        code: 'ERR_VAULT_UNINITIALIZED',
      });
    }
    const kdf = meta?.kdf ?? { salt: newKdfSalt(), ...masterKdf };
    const key = 'passphrase' in secret ? await deriveMasterKey(secret.passphrase, kdf.salt, kdf) : Buffer.from(secret.key);
    if (key.length !== masterKeyBytes) throw new InvalidRequestError('master key must be 32 bytes', { code: 'ERR_KEYFILE' });
    try {
      if (meta) this.#checkVerifier(key, meta.verifier);
      else this.#initialize(key, given === 'passphrase' ? kdf : undefined);
      const signing = await this.#loadSigningKey(key);
      if (!this.sealed) return false; // a concurrent path cannot get here (queue), but stay safe
      this.#key = key;
      this.#signing = signing;
      return true;
    } catch (err) {
      key.fill(0);
      throw err;
    }
  }

  #checkVerifier(key: Buffer, verifier: Buffer): void {
    let plain: Buffer;
    try {
      plain = openBox(key, verifier, verifierAAD);
    } catch {
      throw new UnauthenticatedError('wrong master key or passphrase', { code: 'ERR_WRONG_MASTER_KEY' });
    }
    if (plain.length !== verifierPlaintext.length || !timingSafeEqual(plain, verifierPlaintext)) {
      throw new UnauthenticatedError('wrong master key or passphrase', { code: 'ERR_WRONG_MASTER_KEY' });
    }
  }

  #initialize(key: Buffer, kdf: { salt: Buffer; time: number; memory: number; threads: number } | undefined): void {
    const der = generateSigningKeyDER();
    try {
      this.#store.initialize(
        {
          keySource: this.#keySource,
          ...(kdf ? { kdf } : {}),
          verifier: sealBox(key, verifierPlaintext, verifierAAD),
          createdAt: this.#now(),
        },
        [{ name: signingKeyName, box: sealBox(key, der, serverSecretAAD(signingKeyName)) }],
      );
    } finally {
      der.fill(0);
    }
  }

  async #loadSigningKey(key: Buffer): Promise<SigningKey> {
    let box = this.#store.secret(signingKeyName);
    if (box === undefined) {
      // Metadata without a key (a crash between versions): make one rather than stay unusable.
      const fresh = generateSigningKeyDER();
      box = sealBox(key, fresh, serverSecretAAD(signingKeyName));
      fresh.fill(0);
      this.#store.putSecret(signingKeyName, box, this.#now());
    }
    const der = openBox(key, box, serverSecretAAD(signingKeyName));
    try {
      return await signingKeyFromDER(der);
    } finally {
      der.fill(0);
    }
  }

  #requireKey(): Buffer {
    if (this.#key === undefined) throw new SealedError();
    return this.#key;
  }
}
