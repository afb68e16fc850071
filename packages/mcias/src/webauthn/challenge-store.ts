import { randomBytes } from 'node:crypto';
import { RateLimitedError } from '@metacircular/mcdsl';
import type { Clock } from '../clock.js';

/** challengeTtlMs is how long a ceremony may take (spec 1.16: 120 s). */
export const challengeTtlMs = 120_000;
/** challengeBytes is the size of a challenge and of its id (spec 1.16: 128-bit). */
export const challengeBytes = 16;
/** maxPendingChallenges bounds the memory unauthenticated login begins can take. */
export const maxPendingChallenges = 10_000;

/** Challenge is one pending ceremony. */
export interface Challenge {
  readonly kind: 'register' | 'login';
  /** base64url of the 128 random bits the authenticator signs over */
  readonly challenge: string;
  /** register: the UUID of the account enrolling; login: the username given at begin ('' for none) */
  readonly subject: string;
  readonly expiresAt: number;
}

/**
 * ChallengeStore holds pending WebAuthn challenges in memory, keyed by a random 128-bit id the
 * client sends back at finish. Each is single-use: take() removes it whatever the outcome, so a
 * replayed or retried finish never verifies twice against the same challenge. Expired entries
 * are dropped on every put and on take; the map is cleared when the vault seals. A restart
 * forgets every pending ceremony, which only means starting it again.
 */
export class ChallengeStore {
  readonly #pending = new Map<string, Challenge>();
  readonly #now: Clock;

  constructor(now: Clock) {
    this.#now = now;
  }

  /** put stores a new challenge and returns its id; 429 when too many are pending. */
  put(kind: Challenge['kind'], subject: string): { id: string; challenge: Challenge } {
    const now = this.#now();
    this.#prune(now);
    if (this.#pending.size >= maxPendingChallenges) {
      throw new RateLimitedError('too many webauthn ceremonies in progress; try again shortly');
    }
    const id = randomBytes(challengeBytes).toString('base64url');
    const challenge: Challenge = {
      kind,
      challenge: randomBytes(challengeBytes).toString('base64url'),
      subject,
      expiresAt: now + challengeTtlMs,
    };
    this.#pending.set(id, challenge);
    return { id, challenge };
  }

  /** take removes and returns the live challenge of this id and kind (undefined otherwise). */
  take(id: string, kind: Challenge['kind']): Challenge | undefined {
    const found = this.#pending.get(id);
    if (found === undefined) return undefined;
    this.#pending.delete(id);
    if (found.kind !== kind || found.expiresAt <= this.#now()) return undefined;
    return found;
  }

  /** clear forgets every pending challenge (on seal). */
  clear(): void {
    this.#pending.clear();
  }

  /** size is how many challenges are pending (tests). */
  get size(): number {
    return this.#pending.size;
  }

  #prune(now: number): void {
    // Insertion order is expiry order (one fixed TTL), so the oldest are at the front.
    for (const [id, c] of this.#pending) {
      if (c.expiresAt > now) break;
      this.#pending.delete(id);
    }
  }
}
