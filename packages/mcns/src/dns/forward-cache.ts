import { Flag, QType, Rcode } from './dns-constants.js';
import { questionEndOf, walkRecords } from './message-walker.js';

/**
 * ForwardCache holds upstream answers (spec 2.8) as the raw messages the upstream sent, keyed by
 * (lower-case name, type, class, DO bit, CD bit). An entry lives for the smallest TTL in the answer,
 * capped at cache_max_ttl; a hit is aged (TTLs minus the seconds held) when it is rendered for
 * the client. Eviction happens only when the cache is full, from the oldest end: expired entries
 * there first, then the oldest live ones. No LRU, sweeper or prefetch, like the original. The
 * clock is injectable for tests.
 */
export class ForwardCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  /** ForwardCache keeps at most `maxEntries` answers; `now` is the clock in milliseconds. */
  constructor(options: { maxEntries: number; now?: () => number }) {
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? Date.now;
  }

  /** get returns a live entry and how many whole seconds it has been held. */
  get(key: string): { message: Buffer; ageSeconds: number } | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.#now();
    if (now >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return { message: entry.message, ageSeconds: Math.floor((now - entry.storedAt) / 1000) };
  }

  /** set stores an answer for `ttlSeconds` (nothing happens for 0 or a disabled cache). */
  set(key: string, message: Buffer, ttlSeconds: number): void {
    if (this.#maxEntries <= 0 || ttlSeconds <= 0) return;
    const now = this.#now();
    this.#entries.delete(key); // a refreshed entry becomes the newest
    if (this.#entries.size >= this.#maxEntries) this.#evict(now);
    this.#entries.set(key, { message, storedAt: now, expiresAt: now + ttlSeconds * 1000 });
  }

  /** size is the number of entries held, expired ones included until they are evicted. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * #evict makes room from the front of the Map, which holds the oldest entry first (insertion
   * order; a refresh re-inserts): expired entries there go, then the oldest ones while still
   * full. Each entry is deleted at most once, so an insert costs O(1) amortised instead of a
   * scan of the whole cache; an expired entry behind a live one waits its turn at the front.
   */
  #evict(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size < this.#maxEntries && now < entry.expiresAt) break;
      this.#entries.delete(key);
    }
  }
}

interface Entry {
  readonly message: Buffer;
  readonly storedAt: number;
  readonly expiresAt: number;
}

/**
 * forwardKey is the cache key of a forwarded question. The CD bit is part of it: with CD a
 * validating upstream hands out data it could not validate, which must never reach clients that
 * did not ask for that (one CD query would otherwise switch DNSSEC off for everyone).
 */
export function forwardKey(nameKey: string, qtype: number, qclass: number, dnssecOk: boolean, checkingDisabled = false): string {
  return nameKey + String.fromCharCode(qtype, qclass, (dnssecOk ? 1 : 0) | (checkingDisabled ? 2 : 0));
}

/**
 * cacheTtlOf is how long an upstream answer may be cached, in seconds: the smallest TTL of its
 * records (OPT aside), capped at `maxTtlSeconds`; 0 (do not cache) for SERVFAIL, REFUSED and
 * every rcode but NOERROR and NXDOMAIN, for truncated answers, and for answers with no records
 * in the answer section (no negative caching, as in the original).
 */
export function cacheTtlOf(message: Buffer, maxTtlSeconds: number): number {
  if (message.length < 12) return 0;
  const rcode = message[3]! & 0xf;
  if (rcode !== Rcode.NOERROR && rcode !== Rcode.NXDOMAIN) return 0;
  if ((message[2]! & (Flag.TC >> 8)) !== 0) return 0;
  const questionEnd = questionEndOf(message);
  if (questionEnd < 0) return 0;
  const spans = walkRecords(message, questionEnd);
  if (spans === undefined || !spans.some((s) => s.section === 0)) return 0;
  let min = Math.floor(maxTtlSeconds);
  for (const span of spans) {
    if (span.type !== QType.OPT && span.ttl < min) min = span.ttl;
  }
  return Math.max(0, min);
}
