import { randomBytes } from 'node:crypto';
import { NotFoundError, PreconditionError, SealedError, UnauthenticatedError } from '@metacircular/mcdsl';
import type { BarrierView } from '../engine/index.js';
import type { BarrierStore, SealConfigStore } from '../store/index.js';
import { DecryptError, openBlob, sealBlob } from './aead.js';
import { encryptedView } from './encrypted-view.js';
import { deriveKWK, type KdfParams } from './kdf.js';

/**
 * The storage layout under the barrier (spec §4), and why:
 *   sys/mounts/{name}      the mount table, under the MEK (it holds each mount's wrapped DEK)
 *   sys/policy/rules/{id}  policy rules, under the MEK (core data, no engine may read them)
 *   engine/{mount}/...     one engine's state, under that mount's DEK (blast radius of one key)
 */
export const corePrefix = 'sys/';
/** enginePrefix is where a mount's data lives; the trailing slash keeps "pki" and "pki-2" apart. */
export const enginePrefix = (mount: string): string => `engine/${mount}/`;

/** mekAAD binds the wrapped MEK to its role, dekAAD binds a wrapped DEK to its mount. */
export const mekAAD = 'metacrypt:mek:v1';
export const dekAAD = (mount: string): string => `metacrypt:dek:${mount}`;

/** SealState is the barrier's life cycle: uninitialized -> sealed <-> unsealed. */
export type SealState = 'uninitialized' | 'sealed' | 'unsealed';

const sealVersion = 1;

/**
 * Barrier holds the key hierarchy `password -> Argon2id -> KWK -> MEK -> per-mount DEKs`
 * (spec §3) and hands out encrypted views. Keys live only in memory while unsealed; seal()
 * overwrites every one of them with zeros. It does no locking: SealManager serialises
 * init/unseal/seal.
 */
export class Barrier {
  readonly #store: BarrierStore;
  readonly #sealConfig: SealConfigStore;
  readonly #now: () => Date;
  #mek: Buffer | undefined;
  readonly #deks = new Map<string, Buffer>();

  constructor(opts: { store: BarrierStore; sealConfig: SealConfigStore; now: () => Date }) {
    this.#store = opts.store;
    this.#sealConfig = opts.sealConfig;
    this.#now = opts.now;
  }

  get state(): SealState {
    if (this.#mek) return 'unsealed';
    return this.#sealConfig.get() ? 'sealed' : 'uninitialized';
  }

  get store(): BarrierStore {
    return this.#store;
  }

  /**
   * init creates the key hierarchy: a random salt and MEK, the KWK from the password, the MEK
   * wrapped under the KWK, stored as the seal row. The MEK stays in memory: init leaves the
   * barrier unsealed (ARCHITECTURE.md). The password checks belong to the caller.
   */
  async init(password: string, params: KdfParams): Promise<void> {
    if (this.#sealConfig.get()) throw new PreconditionError('metacrypt is already initialized', { code: 'ERR_INITIALIZED' });
    const salt = randomBytes(16);
    const mek = randomBytes(32);
    const kwk = await deriveKWK(password, salt, params);
    try {
      this.#sealConfig.insert({
        version: sealVersion,
        kdf: 'argon2id',
        kdfTime: params.time,
        kdfMemoryKib: params.memoryKib,
        kdfParallelism: params.parallelism,
        salt,
        encryptedMek: sealBlob(kwk, mek, mekAAD),
        createdAt: this.#now().toISOString(),
      });
    } finally {
      kwk.fill(0);
    }
    this.#mek = mek;
  }

  /**
   * unseal derives the KWK with the stored parameters and opens the MEK; a GCM failure means
   * the password is wrong (UnauthenticatedError, nothing changes). DEKs are loaded by the
   * mount table afterwards.
   */
  async unseal(password: string): Promise<void> {
    const config = this.#sealConfig.get();
    if (!config)
      throw new PreconditionError('metacrypt is not initialized; run `metacrypt init` first', { code: 'ERR_UNINITIALIZED' });
    if (this.#mek) return;
    const kwk = await deriveKWK(password, config.salt, {
      time: config.kdfTime,
      memoryKib: config.kdfMemoryKib,
      parallelism: config.kdfParallelism,
    });
    try {
      this.#mek = openBlob(kwk, config.encryptedMek, mekAAD);
    } catch (err) {
      if (err instanceof DecryptError) throw new UnauthenticatedError('wrong unseal password', { code: 'ERR_BAD_PASSWORD' });
      throw err;
    } finally {
      kwk.fill(0);
    }
  }

  /** seal zeroes the MEK and every DEK; views fail with SealedError from now on. Idempotent. */
  seal(): void {
    for (const dek of this.#deks.values()) dek.fill(0);
    this.#deks.clear();
    this.#mek?.fill(0);
    this.#mek = undefined;
  }

  /** newDEK generates a mount's data key and returns it with its MEK-wrapped form (base64). */
  newDEK(mount: string): { dek: Buffer; wrapped: string } {
    const dek = randomBytes(32);
    return { dek, wrapped: sealBlob(this.#requireMEK(), dek, dekAAD(mount)).toString('base64') };
  }

  /** loadDEK unwraps a mount's DEK (from its mount-table entry) into the keyring. */
  loadDEK(mount: string, wrapped: string): void {
    this.addDEK(mount, openBlob(this.#requireMEK(), Buffer.from(wrapped, 'base64'), dekAAD(mount)));
  }

  /** addDEK puts a plaintext DEK into the keyring (a new mount's). */
  addDEK(mount: string, dek: Buffer): void {
    this.#requireMEK();
    this.dropDEK(mount);
    this.#deks.set(mount, dek);
  }

  /** dropDEK zeroes and forgets a mount's DEK (mount deleted, or a failed creation). */
  dropDEK(mount: string): void {
    const dek = this.#deks.get(mount);
    dek?.fill(0);
    this.#deks.delete(mount);
  }

  /** coreView is a view of `sys/<prefix>` sealed with the MEK (mount table, policy rules). */
  coreView(prefix: string): BarrierView {
    return encryptedView(this.#store, corePrefix + prefix, () => this.#requireMEK(), this.#now);
  }

  /** mountView is a view of `engine/{mount}/` sealed with that mount's DEK. */
  mountView(mount: string): BarrierView {
    return encryptedView(
      this.#store,
      enginePrefix(mount),
      () => {
        this.#requireMEK();
        const dek = this.#deks.get(mount);
        if (!dek) throw new NotFoundError(`no mount named ${mount}`);
        return dek;
      },
      this.#now,
    );
  }

  #requireMEK(): Buffer {
    if (!this.#mek) throw new SealedError('metacrypt is sealed; unseal it first');
    return this.#mek;
  }
}
