import { ConflictError, InvalidRequestError, PreconditionError } from '@metacircular/mcdsl';
import { AuditEvents, type Actor, type AuditLog } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { AccountRecord, Stores } from '../store/index.js';
import { generateTotpSecret, totpUri, verifyTotp } from '../totp/index.js';
import type { Vault } from '../vault/index.js';
import type { AccountManager } from './account-manager.js';
import type { PasswordCheck } from './password-check.js';
import { invalidCredentials } from './password-manager.js';

/** totpIssuer is the issuer name authenticator apps show next to the account. */
export const totpIssuer = 'MCIAS';

/** totpAAD binds a TOTP secret's vault box to its account. */
export function totpAAD(accountUuid: string): string {
  return `mcias:totp:${accountUuid}`;
}

/** TotpLoginCheck is the second-factor verdict at login. */
export type TotpLoginCheck = 'not_required' | 'ok' | 'missing' | 'bad';

/**
 * TotpFactor is RFC 6238 TOTP as a second factor: enrol (current password required, SEC-01; the
 * secret is shown once and stored only as a vault box), confirm with a first code (which turns
 * it on), admin-only removal, and the check at login. The last accepted time step is stored and
 * a code for it or an earlier one is refused (replay prevention, CRIT-01).
 */
export class TotpFactor {
  readonly #stores: Stores;
  readonly #accounts: AccountManager;
  readonly #vault: Vault;
  readonly #check: PasswordCheck;
  readonly #audit: AuditLog;
  readonly #now: Clock;

  constructor(opts: {
    stores: Stores;
    accounts: AccountManager;
    vault: Vault;
    check: PasswordCheck;
    audit: AuditLog;
    now: Clock;
  }) {
    this.#stores = opts.stores;
    this.#accounts = opts.accounts;
    this.#vault = opts.vault;
    this.#check = opts.check;
    this.#audit = opts.audit;
    this.#now = opts.now;
  }

  /**
   * enroll starts (or restarts) an enrolment: it checks the password under the lockout, refuses
   * when TOTP is already on (an admin must remove it first), stores a new secret as pending and
   * returns it with its otpauth:// URI, once.
   */
  async enroll(account: AccountRecord, password: string, actor: Actor): Promise<{ secret: string; uri: string }> {
    if (account.totpState === 'enabled') {
      throw new ConflictError('totp is already enabled; an admin must remove it before a new enrolment', {
        code: 'ERR_TOTP_ENABLED',
      });
    }
    if (password === '') throw new InvalidRequestError('password is required', { code: 'ERR_BAD_PASSWORD' });
    if ((await this.#check.check(account, password)) !== 'ok') throw invalidCredentials();
    this.#check.succeeded(account);
    const secret = generateTotpSecret();
    const box = this.#vault.encrypt(Buffer.from(secret, 'ascii'), totpAAD(account.uuid));
    this.#stores.accounts.setTotp(account.id, box, 'pending', null, this.#now());
    this.#audit.record({ type: AuditEvents.TotpEnrolled, actorId: actor.id, targetId: account.uuid, ip: actor.ip });
    return { secret, uri: totpUri({ secret, account: account.username, issuer: totpIssuer }) };
  }

  /** confirm turns a pending enrolment on with a valid code (400 for a wrong one). */
  confirm(account: AccountRecord, code: string, actor: Actor): void {
    if (account.totpState !== 'pending' || account.totpSecretEnc === null) {
      throw new PreconditionError('no pending totp enrolment; enroll first', { code: 'ERR_TOTP_NOT_PENDING' });
    }
    const result = this.#verify(account, account.totpSecretEnc, code);
    if (!result.ok) throw new InvalidRequestError('invalid totp code', { code: 'ERR_BAD_TOTP' });
    this.#stores.accounts.setTotp(account.id, account.totpSecretEnc, 'enabled', result.counter, this.#now());
    this.#audit.record({ type: AuditEvents.TotpConfirmed, actorId: actor.id, targetId: account.uuid, ip: actor.ip });
  }

  /** remove turns TOTP off for an account and forgets its secret (admin only, by policy). */
  remove(id: string, actor: Actor): void {
    const account = this.#accounts.findLive(id);
    this.#stores.accounts.setTotp(account.id, null, 'none', null, this.#now());
    this.#audit.record({
      type: AuditEvents.TotpRemoved,
      actorId: actor.id,
      targetId: account.uuid,
      ip: actor.ip,
      details: { state_before: account.totpState },
    });
  }

  /** checkAtLogin verifies the code of an account whose TOTP is on, consuming its time step. */
  checkAtLogin(account: AccountRecord, code: string): TotpLoginCheck {
    if (account.totpState !== 'enabled' || account.totpSecretEnc === null) return 'not_required';
    if (code === '') return 'missing';
    const result = this.#verify(account, account.totpSecretEnc, code);
    if (!result.ok) return 'bad';
    // The conditional write is what stops two concurrent logins spending the same code.
    return this.#stores.accounts.useTotpCounter(account.id, result.counter) ? 'ok' : 'bad';
  }

  #verify(account: AccountRecord, box: Buffer, code: string): { ok: true; counter: number } | { ok: false } {
    const plain = this.#vault.decrypt(box, totpAAD(account.uuid));
    const secret = plain.toString('ascii');
    plain.fill(0);
    return verifyTotp(secret, code, {
      now: this.#now(),
      ...(account.totpLastCounter === null ? {} : { lastUsedCounter: account.totpLastCounter }),
    });
  }
}
