import type { Clock } from '../clock.js';

/** RateLimit is a token bucket's shape: `burst` requests at once, refilled at `perSecond`. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * RateLimiter keeps one token bucket per key (a client address). A request takes one token; a
 * bucket refills continuously at `perSecond` up to `burst`. Time comes from the injected clock,
 * so with a frozen clock a test sees exactly `burst` requests pass and the next one refused.
 * Buckets that have refilled completely carry no information and are swept when the map grows
 * past `maxKeys`, so the memory a flood of distinct addresses can take is bounded.
 */
export class RateLimiter {
  readonly #limit: RateLimit;
  readonly #now: Clock;
  readonly #maxKeys: number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(limit: RateLimit, now: Clock, maxKeys = 10_000) {
    this.#limit = limit;
    this.#now = now;
    this.#maxKeys = maxKeys;
  }

  /** take consumes one token for `key` and reports whether the request may proceed. */
  take(key: string): boolean {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#limit.burst, at: now };
    const refill = (Math.max(0, now - bucket.at) / 1000) * this.#limit.perSecond;
    bucket.tokens = Math.min(this.#limit.burst, bucket.tokens + refill);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.#buckets.set(key, bucket);
      return false;
    }
    bucket.tokens -= 1;
    if (!this.#buckets.has(key) && this.#buckets.size >= this.#maxKeys) this.#sweep(now);
    this.#buckets.set(key, bucket);
    return true;
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      const tokens = bucket.tokens + ((now - bucket.at) / 1000) * this.#limit.perSecond;
      if (tokens >= this.#limit.burst) this.#buckets.delete(key);
    }
    // Still full (a flood): forget the oldest entries, which only lets those clients in sooner.
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size < this.#maxKeys) break;
      this.#buckets.delete(key);
    }
  }
}
