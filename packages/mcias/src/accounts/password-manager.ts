import { InvalidRequestError, PreconditionError, UnauthenticatedError } from '@metacircular/mcdsl';
import { AuditEvents, type Actor, type AuditLog } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { AccountRecord, Stores } from '../store/index.js';
import type { TokenAuthority } from '../tokens/index.js';
import type { AccountManager } from './account-manager.js';
import type { Lockout } from './lockout.js';
import type { PasswordCheck } from './password-check.js';
import type { PasswordHasher } from './password-hasher.js';
import { validateNewPassword } from './password-rules.js';

/** invalidCredentials is the one 401 for a wrong password, a locked account or an unknown user. */
export function invalidCredentials(): UnauthenticatedError {
  return new UnauthenticatedError('invalid credentials', { code: 'ERR_INVALID_CREDENTIALS' });
}

/**
 * PasswordManager sets passwords: a person changing their own (current password required,
 * under the lockout) and an admin resetting someone's. Either way every other live token of the
 * account is revoked, so a stolen session dies with the old password.
 */
export class PasswordManager {
  readonly #stores: Stores;
  readonly #accounts: AccountManager;
  readonly #hasher: PasswordHasher;
  readonly #check: PasswordCheck;
  readonly #lockout: Lockout;
  readonly #tokens: TokenAuthority;
  readonly #audit: AuditLog;
  readonly #now: Clock;

  constructor(opts: {
    stores: Stores;
    accounts: AccountManager;
    hasher: PasswordHasher;
    check: PasswordCheck;
    lockout: Lockout;
    tokens: TokenAuthority;
    audit: AuditLog;
    now: Clock;
  }) {
    this.#stores = opts.stores;
    this.#accounts = opts.accounts;
    this.#hasher = opts.hasher;
    this.#check = opts.check;
    this.#lockout = opts.lockout;
    this.#tokens = opts.tokens;
    this.#audit = opts.audit;
    this.#now = opts.now;
  }

  /**
   * change sets a person's own password: the current one must verify (a wrong one counts toward
   * the lockout and answers 401), the new one must pass the rules; the caller's token survives,
   * every other one is revoked.
   */
  async change(account: AccountRecord, current: string, next: string, keepJti: string, actor: Actor): Promise<void> {
    if (account.accountType !== 'human') {
      throw new PreconditionError('system accounts have no password', { code: 'ERR_NO_PASSWORD' });
    }
    validateNewPassword(next, 'new_password');
    if (current === '') throw new InvalidRequestError('current_password is required', { code: 'ERR_BAD_PASSWORD' });
    if ((await this.#check.check(account, current)) !== 'ok') throw invalidCredentials();
    this.#check.succeeded(account);
    const revoked = await this.#store(account, next, 'password_changed', keepJti);
    this.#audit.record({
      type: AuditEvents.PasswordChanged,
      actorId: actor.id,
      targetId: account.uuid,
      ip: actor.ip,
      details: { tokens_revoked: revoked.length },
    });
  }

  /** reset sets a person's password as an admin; all of the account's tokens are revoked. */
  async reset(id: string, next: string, actor: Actor): Promise<void> {
    const account = this.#accounts.findLive(id);
    if (account.accountType !== 'human') {
      throw new PreconditionError('system accounts have no password', { code: 'ERR_NO_PASSWORD' });
    }
    validateNewPassword(next, 'new_password');
    const revoked = await this.#store(account, next, 'password_reset');
    this.#lockout.reset(account.id);
    this.#audit.record({
      type: AuditEvents.PasswordReset,
      actorId: actor.id,
      targetId: account.uuid,
      ip: actor.ip,
      details: { tokens_revoked: revoked.length },
    });
  }

  async #store(account: AccountRecord, password: string, reason: string, keepJti?: string): Promise<string[]> {
    const hash = await this.#hasher.hash(password);
    return this.#stores.db.transaction(() => {
      this.#stores.accounts.setPasswordHash(account.id, hash, this.#now());
      return this.#tokens.revokeAllOf(account.id, reason, keepJti);
    })();
  }
}
