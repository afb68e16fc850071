import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { argon2id } from '../argon2id.js';

/** Argon2Params is the `[argon2]` config: time, memory in KiB, threads. */
export interface Argon2Params {
  readonly time: number;
  readonly memory: number;
  readonly threads: number;
}

/**
 * PasswordHasher hashes and verifies passwords with Argon2id (PHC strings, salt included). Both
 * run on libuv's thread pool, never on the event loop. verify reads the cost from the stored
 * hash, so raising `[argon2]` only affects new hashes.
 *
 * verifyDummy spends the same work on a hash of a random password, so a login for an unknown
 * user takes as long as one with a wrong password (no username oracle by timing).
 */
export class PasswordHasher {
  readonly #params: Argon2Params;
  #dummy: Promise<string> | undefined;

  constructor(params: Argon2Params) {
    this.#params = params;
  }

  /** hash returns the PHC string of a new password. */
  hash(password: string): Promise<string> {
    return hash(password, {
      algorithm: argon2id,
      timeCost: this.#params.time,
      memoryCost: this.#params.memory,
      parallelism: this.#params.threads,
    });
  }

  /** verify reports whether `password` matches `phc`; a malformed hash is a mismatch. */
  async verify(phc: string, password: string): Promise<boolean> {
    try {
      return await verify(phc, password);
    } catch {
      return false;
    }
  }

  /** verifyDummy does a full verification that always fails. */
  async verifyDummy(password: string): Promise<false> {
    this.#dummy ??= this.hash(randomBytes(24).toString('base64'));
    await this.verify(await this.#dummy, password);
    return false;
  }
}
