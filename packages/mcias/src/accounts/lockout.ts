import type { Clock } from '../clock.js';
import type { FailedLoginStore } from '../store/index.js';

/** LockoutSettings is the `[lockout]` config in milliseconds. */
export interface LockoutSettings {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly durationMs: number;
}

/**
 * Lockout counts failed credential checks per account (finding F-08). `maxFailures` failures
 * within `windowMs` of the first one lock the account for `durationMs`. A locked account is
 * refused before Argon2 runs, with the same 401 as a bad password. A full successful login
 * resets the counter; a lock that has run out starts a fresh window.
 */
export class Lockout {
  readonly #store: FailedLoginStore;
  readonly #settings: LockoutSettings;
  readonly #now: Clock;

  constructor(store: FailedLoginStore, settings: LockoutSettings, now: Clock) {
    this.#store = store;
    this.#settings = settings;
    this.#now = now;
  }

  /** isLocked reports whether the account is locked right now. */
  isLocked(accountId: number): boolean {
    const lockedUntil = this.#store.get(accountId)?.lockedUntil;
    return lockedUntil !== undefined && lockedUntil !== null && lockedUntil > this.#now();
  }

  /** recordFailure counts one failure and reports whether the account is now locked. */
  recordFailure(accountId: number): boolean {
    const now = this.#now();
    const current = this.#store.get(accountId);
    const expired =
      current === undefined ||
      now - current.windowStart >= this.#settings.windowMs ||
      (current.lockedUntil !== null && current.lockedUntil <= now);
    const failures = expired ? 1 : current.failures + 1;
    const windowStart = expired ? now : current.windowStart;
    const lockedUntil = failures >= this.#settings.maxFailures ? now + this.#settings.durationMs : null;
    this.#store.put(accountId, { failures, windowStart, lockedUntil });
    return lockedUntil !== null;
  }

  /** reset clears the account's failures (after a successful login or an admin reset). */
  reset(accountId: number): void {
    this.#store.clear(accountId);
  }
}
