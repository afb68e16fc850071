import { ForbiddenError, InvalidRequestError, UnauthenticatedError } from '@metacircular/mcdsl';
import { AuditEvents, type AuditEventType, type AuditLog } from '../audit/index.js';
import type { Authorizer } from '../authz/index.js';
import { Actions } from '../policy/index.js';
import type { AccountRecord, Stores } from '../store/index.js';
import type { IssuedToken, TokenAuthority } from '../tokens/index.js';
import type { PasswordCheck } from './password-check.js';
import type { PasswordHasher } from './password-hasher.js';
import { invalidCredentials } from './password-manager.js';
import type { TotpFactor } from './totp-factor.js';

/** LoginContext is who logs in (as typed) and the calling service's context, for policy and audit. */
export interface LoginContext {
  readonly username: string;
  readonly serviceName: string;
  readonly tags: readonly string[];
  readonly ip: string;
}

/** LoginInput is one password login with the calling service's context. */
export interface LoginInput extends LoginContext {
  readonly password: string;
  readonly totpCode: string;
}

/**
 * LoginFlow is password login (spec 1.7). The per-client rate limit runs before it, at the edge.
 * Then, in order:
 *   1. look up the account; an unknown, inactive, deleted or system account gets a dummy Argon2
 *      verification (uniform timing) and the same 401 as a bad password
 *   2. lockout check, before Argon2 (same 401)
 *   3. Argon2id verification of the password (a failure counts toward the lockout)
 *   4. TOTP when enrolled: no code is a 401 "totp code required"; a wrong or replayed code
 *      counts toward the lockout and is the same 401 as a bad password
 *   5. reset the failure counter (the credentials are right)
 *   6. login policy: auth:login with resource {service_name, tags}; a deny is 403
 *   7. issue the token
 * Steps 6 and 7 are grant(), which passkey login (webauthn/) shares.
 * Every outcome is audited; the password and the code never are.
 */
export class LoginFlow {
  readonly #stores: Stores;
  readonly #hasher: PasswordHasher;
  readonly #passwords: PasswordCheck;
  readonly #totp: TotpFactor;
  readonly #authorizer: Authorizer;
  readonly #tokens: TokenAuthority;
  readonly #audit: AuditLog;

  constructor(opts: {
    stores: Stores;
    hasher: PasswordHasher;
    passwords: PasswordCheck;
    totp: TotpFactor;
    authorizer: Authorizer;
    tokens: TokenAuthority;
    audit: AuditLog;
  }) {
    this.#stores = opts.stores;
    this.#hasher = opts.hasher;
    this.#passwords = opts.passwords;
    this.#totp = opts.totp;
    this.#authorizer = opts.authorizer;
    this.#tokens = opts.tokens;
    this.#audit = opts.audit;
  }

  async login(input: LoginInput): Promise<IssuedToken> {
    const account = await this.passwordStep(input);
    return this.#secondFactorAndGrant(account, input.totpCode, input);
  }

  /**
   * passwordStep is steps 1-3 alone: it returns the account whose password is proven, issuing
   * nothing and leaving the failure counter as it is. The web UI's two-step login (spec 1.7)
   * calls it, then holds a single-use nonce instead of the password until secondStep.
   */
  async passwordStep(input: LoginContext & { readonly password: string }): Promise<AccountRecord> {
    if (input.username === '' || input.password === '') {
      throw new InvalidRequestError('username and password are required', { code: 'ERR_MISSING_CREDENTIALS' });
    }
    const account = this.#stores.accounts.byUsername(input.username);
    const unusable = this.#unusable(account);
    if (unusable !== undefined || account === undefined) {
      await this.#hasher.verifyDummy(input.password);
      throw this.#fail(input, account, unusable ?? 'unknown_user');
    }
    const password = await this.#passwords.check(account, input.password);
    if (password !== 'ok') throw this.#fail(input, account, password);
    return account;
  }

  /** needsTotp tells whether a login of this account must pass the TOTP step. */
  needsTotp(account: AccountRecord): boolean {
    return this.#totp.checkAtLogin(account, '') !== 'not_required';
  }

  /**
   * secondStep finishes a login whose password passwordStep proved moments ago (the caller holds
   * that proof, e.g. the web UI's 90 s nonce). The account is read again and must still be
   * usable and not locked (so nonces collected before a lockout cannot be spent guessing codes
   * after it); then steps 4-7 as in login.
   */
  async secondStep(accountUuid: string, totpCode: string, input: LoginContext): Promise<IssuedToken> {
    const account = this.#stores.accounts.byUuid(accountUuid);
    const unusable = this.#unusable(account);
    if (unusable !== undefined || account === undefined) throw this.#fail(input, account, unusable ?? 'unknown_user');
    if (this.#passwords.isLocked(account)) throw this.#fail(input, account, 'locked');
    return this.#secondFactorAndGrant(account, totpCode, input);
  }

  // Steps 4-7: TOTP when enrolled, reset the failure counter, then grant (policy, token).
  async #secondFactorAndGrant(account: AccountRecord, totpCode: string, input: LoginContext): Promise<IssuedToken> {
    const totp = this.#totp.checkAtLogin(account, totpCode);
    if (totp === 'missing') {
      this.#audit.record({
        type: AuditEvents.LoginFail,
        targetId: account.uuid,
        ip: input.ip,
        details: this.#details(input, 'totp_missing'),
      });
      throw new UnauthenticatedError('totp code required', { code: 'ERR_TOTP_REQUIRED' });
    }
    if (totp === 'bad') {
      this.#passwords.recordFailure(account);
      throw this.#fail(input, account, 'bad_totp');
    }
    this.#passwords.succeeded(account);
    return this.grant(account, input);
  }

  /**
   * grant is the end of every login once the credentials are proven (password and TOTP above; a
   * passkey in webauthn/): the login policy (auth:login with the service context; a deny is 403),
   * then the token, each audited. `okEvent` and `details` say how the credentials were proven.
   */
  async grant(
    account: AccountRecord,
    input: LoginContext,
    opts: { okEvent?: AuditEventType; details?: Readonly<Record<string, unknown>> } = {},
  ): Promise<IssuedToken> {
    const roles = this.#stores.roles.of(account.id);
    const decision = this.#authorizer.decide({ uuid: account.uuid, roles, accountType: account.accountType }, Actions.AuthLogin, {
      serviceName: input.serviceName,
      tags: input.tags,
    });
    if (decision.effect !== 'allow') {
      this.#audit.record({
        type: AuditEvents.LoginDeniedPolicy,
        actorId: account.uuid,
        targetId: account.uuid,
        ip: input.ip,
        details: { ...this.#details(input), ...opts.details, rule_id: decision.rule?.id ?? null },
      });
      throw new ForbiddenError('login denied by policy', { code: 'ERR_LOGIN_DENIED' });
    }

    const issued = await this.#tokens.issue(account, 'login');
    const details = { ...this.#details(input), ...opts.details, jti: issued.jti };
    this.#audit.record({
      type: opts.okEvent ?? AuditEvents.LoginOk,
      actorId: account.uuid,
      targetId: account.uuid,
      ip: input.ip,
      details,
    });
    this.#audit.record({
      type: AuditEvents.TokenIssued,
      actorId: account.uuid,
      targetId: account.uuid,
      ip: input.ip,
      details: { jti: issued.jti, kind: 'login', expires_at: new Date(issued.expiresAt).toISOString() },
    });
    return issued;
  }

  #unusable(account: AccountRecord | undefined): string | undefined {
    if (account === undefined) return 'unknown_user';
    if (account.status !== 'active') return 'inactive';
    if (account.accountType === 'system' || account.passwordHash === null) return 'system_account';
    return undefined;
  }

  #fail(input: LoginContext, account: AccountRecord | undefined, reason: string): UnauthenticatedError {
    this.#audit.record({
      type: AuditEvents.LoginFail,
      targetId: account?.uuid,
      ip: input.ip,
      // The username is recorded for unknown users too: it is what the operator searches for.
      details: this.#details(input, reason),
    });
    return invalidCredentials();
  }

  #details(input: LoginContext, reason?: string): Record<string, unknown> {
    return {
      username: input.username.slice(0, 128),
      service_name: input.serviceName.slice(0, 128),
      ...(input.tags.length > 0 ? { tags: input.tags.slice(0, 16) } : {}),
      ...(reason ? { reason } : {}),
    };
  }
}
