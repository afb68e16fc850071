import { randomBytes } from 'node:crypto';

/**
 * NonceStore hands out the Replay-Nonce values of RFC 8555 §6.5 and accepts each exactly once.
 * Nonces live in memory only: after a restart every outstanding nonce is unknown, and clients
 * recover by retrying with the fresh nonce that comes with the badNonce error. The store is
 * bounded in count and age, so a client fetching nonces in a loop cannot grow it without limit;
 * the oldest nonce is dropped first (a Map iterates in insertion order).
 */
export class NonceStore {
  readonly #issued = new Map<string, number>();
  readonly #maxCount: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(opts: { maxCount?: number; ttlMs?: number; now?: () => number } = {}) {
    this.#maxCount = opts.maxCount ?? 10_000;
    this.#ttlMs = opts.ttlMs ?? 3_600_000;
    this.#now = opts.now ?? Date.now;
  }

  /** issue returns a new nonce: 16 random bytes, base64url. */
  issue(): string {
    const nonce = randomBytes(16).toString('base64url');
    while (this.#issued.size >= this.#maxCount) {
      const oldest = this.#issued.keys().next().value;
      if (oldest === undefined) break;
      this.#issued.delete(oldest);
    }
    this.#issued.set(nonce, this.#now() + this.#ttlMs);
    return nonce;
  }

  /** consume reports whether nonce was issued, unused and unexpired, and makes it used. */
  consume(nonce: string): boolean {
    const expires = this.#issued.get(nonce);
    if (expires === undefined) return false;
    this.#issued.delete(nonce);
    return expires > this.#now();
  }

  /** size is how many nonces are outstanding (for tests). */
  get size(): number {
    return this.#issued.size;
  }
}
