import { createHash } from 'node:crypto';

/**
 * ValidationCache remembers MCIAS's answer about a token for a short time (30 s by default),
 * keyed by the SHA-256 of the token so that raw tokens never sit in memory as map keys. Both
 * answers are cached: a token MCIAS refused does not become valid, and caching the refusal
 * stops a client hammering MCIAS with a bad token. The map is bounded; expired entries are
 * dropped lazily on read and swept when the bound is reached.
 */
export class ValidationCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { ttlMs: number; maxEntries?: number; now?: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** get returns the cached answer for a token, or undefined when absent or expired. */
  get(token: string): V | undefined {
    const key = keyOf(token);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** set caches an answer until the TTL passes or `notAfter` (the token's own expiry), whichever is first. */
  set(token: string, value: V, notAfter?: number): void {
    const now = this.#now();
    const expiresAt = Math.min(now + this.#ttlMs, notAfter ?? Number.POSITIVE_INFINITY);
    if (expiresAt <= now) return;
    if (this.#entries.size >= this.#maxEntries) this.#sweep(now);
    this.#entries.set(keyOf(token), { value, expiresAt });
  }

  /** delete forgets a token, e.g. after logout. */
  delete(token: string): void {
    this.#entries.delete(keyOf(token));
  }

  get size(): number {
    return this.#entries.size;
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    // Still full: drop the oldest insertions (Map iterates in insertion order).
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < this.#maxEntries) break;
      this.#entries.delete(key);
    }
  }
}

function keyOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
