import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';

/** PendingLogin is a login whose password was right, waiting for its TOTP code. */
export interface PendingLogin {
  readonly accountUuid: string;
  /** as typed at the first step, for the audit log of the second */
  readonly username: string;
  readonly expiresAt: number;
}

/** pendingLoginTtlMs is how long the TOTP step may take (spec 1.7 and 1.16: 90 s). */
export const pendingLoginTtlMs = 90_000;

// Bounds memory whatever the request rate: the oldest pending logins are dropped first.
const maxPending = 10_000;
const nonce = /^[A-Za-z0-9_-]{22}$/;

/**
 * PendingLogins holds the web UI's two-step logins (spec 1.7): after the password step the
 * server keeps the account id under a random 128-bit nonce for 90 s, and the TOTP form posts the
 * nonce with the code, so the password is never sent twice nor kept in a page. A nonce is
 * single-use: take() removes it whether or not the code turns out right. Memory only: a
 * restart just sends people back to the password step.
 */
export class PendingLogins {
  readonly #now: Clock;
  readonly #pending = new Map<string, PendingLogin>();

  constructor(now: Clock) {
    this.#now = now;
  }

  /** add stores a pending login and returns its nonce (base64url, 22 characters). */
  add(accountUuid: string, username: string): string {
    this.#prune();
    while (this.#pending.size >= maxPending) {
      const oldest = this.#pending.keys().next().value;
      if (oldest === undefined) break;
      this.#pending.delete(oldest);
    }
    const id = randomBytes(16).toString('base64url');
    this.#pending.set(id, { accountUuid, username, expiresAt: this.#now() + pendingLoginTtlMs });
    return id;
  }

  /** has reports whether a nonce is pending and unexpired, without using it. */
  has(id: string): boolean {
    const entry = nonce.test(id) ? this.#pending.get(id) : undefined;
    return entry !== undefined && entry.expiresAt > this.#now();
  }

  /** take returns and removes a pending login; undefined for an unknown, used or expired nonce. */
  take(id: string): PendingLogin | undefined {
    if (!nonce.test(id)) return undefined;
    const entry = this.#pending.get(id);
    this.#pending.delete(id);
    return entry !== undefined && entry.expiresAt > this.#now() ? entry : undefined;
  }

  /** size is the number of stored entries (expired ones may linger until the next add). */
  get size(): number {
    return this.#pending.size;
  }

  // Entries are in insertion order, and every entry lives the same TTL, so expired ones lead.
  #prune(): void {
    const now = this.#now();
    for (const [id, entry] of this.#pending) {
      if (entry.expiresAt > now) break;
      this.#pending.delete(id);
    }
  }
}
