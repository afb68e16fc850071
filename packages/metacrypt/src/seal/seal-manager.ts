import { InvalidRequestError, PreconditionError, UnauthenticatedError, type Logger } from '@metacircular/mcdsl';
import type { Barrier, KdfParams, SealState } from '../barrier/index.js';
import type { MountTable } from '../mounts/index.js';
import type { UnsealThrottle } from './unseal-throttle.js';

/** minPasswordLength is spec §3.2's floor for the unseal password. */
export const minPasswordLength = 12;
const maxPasswordLength = 1024;

/**
 * SealManager runs the state machine `uninitialized -> sealed <-> unsealed` over the barrier
 * and the mount table. init and unseal are serialised (one Argon2id derivation at a time, so a
 * burst of attempts cannot race the throttle or each other); seal is synchronous and wins: it
 * bumps a generation counter, and an init or unseal issued before that seal (still queued, or
 * deriving its key) finds the counter moved when it finishes, zeroes the MEK it opened and
 * leaves Metacrypt sealed.
 */
export class SealManager {
  readonly #barrier: Barrier;
  readonly #mounts: MountTable;
  readonly #throttle: UnsealThrottle;
  readonly #kdf: KdfParams;
  readonly #logger: Logger;
  #queue: Promise<unknown> = Promise.resolve();
  /** bumped by every seal(); init and unseal compare it with the value they started with */
  #generation = 0;

  constructor(opts: { barrier: Barrier; mounts: MountTable; throttle: UnsealThrottle; kdf: KdfParams; logger: Logger }) {
    this.#barrier = opts.barrier;
    this.#mounts = opts.mounts;
    this.#throttle = opts.throttle;
    this.#kdf = opts.kdf;
    this.#logger = opts.logger;
  }

  get state(): SealState {
    return this.#barrier.state;
  }

  /**
   * init creates the key hierarchy from the password and leaves Metacrypt unsealed. Checks:
   *   1. password length (12..1024 characters) -> InvalidRequestError
   *   2. not yet initialized -> PreconditionError (412)
   */
  init(password: string): Promise<SealState> {
    const length = [...password].length;
    if (length < minPasswordLength || length > maxPasswordLength) {
      throw new InvalidRequestError(`password must be ${minPasswordLength} to ${maxPasswordLength} characters long`, {
        code: 'ERR_PASSWORD_LENGTH',
      });
    }
    const generation = this.#generation;
    return this.#serial(async () => {
      if (this.#barrier.state !== 'uninitialized') {
        throw new PreconditionError('metacrypt is already initialized', { code: 'ERR_INITIALIZED' });
      }
      await this.#barrier.init(password, this.#kdf);
      if (generation !== this.#generation) {
        // Sealed while deriving: the seal row is written, but the MEK must not stay in memory.
        this.#barrier.seal();
        this.#logger.warn('metacrypt initialized; left sealed because a seal arrived during init');
        return this.#barrier.state;
      }
      this.#mounts.openAll();
      this.#logger.warn('metacrypt initialized (and unsealed)');
      return this.#barrier.state;
    });
  }

  /**
   * unseal opens the MEK with the password, then every mount. Checks, in order:
   *   1. the throttle (429 while a failed attempt's backoff runs)
   *   2. initialized (412) and not already unsealed (412)
   *   3. the password (401 on a GCM failure, which counts as a failed attempt)
   *   4. no seal() since this call was made (412, and the MEK it opened is zeroed)
   */
  unseal(password: string): Promise<SealState> {
    this.#throttle.check();
    const generation = this.#generation;
    return this.#serial(async () => {
      this.#throttle.check();
      if (generation !== this.#generation) throw sealedMeanwhile();
      const state = this.#barrier.state;
      if (state === 'uninitialized') {
        throw new PreconditionError('metacrypt is not initialized; run `metacrypt init` first', { code: 'ERR_UNINITIALIZED' });
      }
      if (state === 'unsealed') throw new PreconditionError('metacrypt is already unsealed', { code: 'ERR_UNSEALED' });
      if (password.length === 0 || password.length > 4 * maxPasswordLength) {
        this.#throttle.failure();
        throw new UnauthenticatedError('wrong unseal password', { code: 'ERR_BAD_PASSWORD' });
      }
      try {
        await this.#barrier.unseal(password);
      } catch (err) {
        if (err instanceof UnauthenticatedError) {
          this.#throttle.failure();
          this.#logger.warn('unseal failed: wrong password');
        }
        throw err;
      }
      this.#throttle.success();
      if (generation !== this.#generation) {
        this.#barrier.seal();
        this.#logger.warn('unseal discarded: metacrypt was sealed while the key was being derived');
        throw sealedMeanwhile();
      }
      this.#mounts.openAll();
      this.#logger.warn('metacrypt unsealed');
      return this.#barrier.state;
    });
  }

  /** seal calls seal() on every open engine, then zeroes the MEK and DEKs. Idempotent. */
  seal(): SealState {
    this.#generation++;
    this.#mounts.closeAll();
    this.#barrier.seal();
    this.#logger.warn('metacrypt sealed');
    return this.#barrier.state;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function sealedMeanwhile(): PreconditionError {
  return new PreconditionError('metacrypt was sealed while this unseal was in progress; unseal again', {
    code: 'ERR_SEALED_DURING_UNSEAL',
  });
}
