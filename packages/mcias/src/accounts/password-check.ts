import type { AccountRecord } from '../store/index.js';
import type { Lockout } from './lockout.js';
import type { PasswordHasher } from './password-hasher.js';

/** PasswordCheckResult says why a password was or was not accepted (for the audit log only). */
export type PasswordCheckResult = 'ok' | 'locked' | 'bad_password' | 'no_password';

/**
 * PasswordCheck verifies an account's password under the lockout, in the spec's order:
 *   1. locked account -> 'locked', before any Argon2 work
 *   2. no password (system account) -> a dummy verification, then 'no_password'
 *   3. Argon2id verify -> 'ok', or a counted failure and 'bad_password'
 * It does not reset the counter on success: the caller does that once the whole check (password
 * and second factor) has passed, so a correct password cannot wipe out TOTP failures.
 */
export class PasswordCheck {
  readonly #hasher: PasswordHasher;
  readonly #lockout: Lockout;

  constructor(hasher: PasswordHasher, lockout: Lockout) {
    this.#hasher = hasher;
    this.#lockout = lockout;
  }

  async check(account: AccountRecord, password: string): Promise<PasswordCheckResult> {
    if (this.#lockout.isLocked(account.id)) return 'locked';
    if (account.passwordHash === null) {
      await this.#hasher.verifyDummy(password);
      return 'no_password';
    }
    if (await this.#hasher.verify(account.passwordHash, password)) return 'ok';
    this.#lockout.recordFailure(account.id);
    return 'bad_password';
  }

  /** isLocked reports whether the account is locked now (a login's second step checks it again). */
  isLocked(account: AccountRecord): boolean {
    return this.#lockout.isLocked(account.id);
  }

  /** recordFailure counts a failed second factor against the lockout. */
  recordFailure(account: AccountRecord): void {
    this.#lockout.recordFailure(account.id);
  }

  /** succeeded resets the account's failure counter. */
  succeeded(account: AccountRecord): void {
    this.#lockout.reset(account.id);
  }
}
