import type { JsonObject } from '@bufbuild/protobuf';
import { NotFoundError, PreconditionError } from '@metacircular/mcdsl';
import type { AccountManager, Lockout, LoginFlow, PasswordCheck } from '../accounts/index.js';
import { AuditEvents, type Actor, type AuditLog } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { WebAuthnConfig } from '../config.js';
import type { AccountRecord, Stores, WebAuthnCredentialRecord } from '../store/index.js';
import type { IssuedToken } from '../tokens/index.js';
import type { Vault } from '../vault/index.js';
import { ChallengeStore } from './challenge-store.js';
import { CredentialVault } from './credential-vault.js';
import { PasskeyLogin, type PasskeyLoginInput } from './passkey-login.js';
import { PasskeyRegistration, type BegunCeremony } from './passkey-registration.js';
import { RelyingParty } from './relying-party.js';

/** PasskeyView is a stored passkey as the API shows it: a label and dates, no credential material. */
export interface PasskeyView {
  /** the MCIAS record id (not the authenticator's credential id) */
  readonly id: string;
  readonly name: string;
  readonly discoverable: boolean;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/** passkeyView strips a record down to what may leave the server. */
export function passkeyView(r: WebAuthnCredentialRecord): PasskeyView {
  return { id: r.uuid, name: r.name, discoverable: r.discoverable, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt };
}

/**
 * Passkeys is WebAuthn in MCIAS (spec 1.7), the one object handlers and the web UI call:
 * registration (self-service, password re-authentication), login (passwordless or second
 * factor), listing and removal. Authorization is the caller's business (the RPC handlers ask
 * the policy); this object checks credentials and keeps the material sealed.
 *
 * Without a `[webauthn]` section every operation throws PreconditionError (412 "webauthn is not
 * configured"). Pending challenges are in memory and forgotten when the vault seals.
 */
export class Passkeys {
  readonly #rp: RelyingParty | undefined;
  readonly #registration: PasskeyRegistration | undefined;
  readonly #login: PasskeyLogin | undefined;
  readonly #stores: Stores;
  readonly #accounts: AccountManager;
  readonly #audit: AuditLog;

  constructor(opts: {
    config: WebAuthnConfig | undefined;
    stores: Stores;
    vault: Vault;
    accounts: AccountManager;
    check: PasswordCheck;
    lockout: Lockout;
    logins: LoginFlow;
    audit: AuditLog;
    now: Clock;
  }) {
    this.#stores = opts.stores;
    this.#accounts = opts.accounts;
    this.#audit = opts.audit;
    if (opts.config === undefined) return;
    const rp = new RelyingParty(opts.config);
    const challenges = new ChallengeStore(opts.now);
    opts.vault.onSeal(() => challenges.clear());
    const credentials = new CredentialVault({ vault: opts.vault, store: opts.stores.vault, now: opts.now });
    const shared = { rp, challenges, credentials, stores: opts.stores, check: opts.check, audit: opts.audit, now: opts.now };
    this.#rp = rp;
    this.#registration = new PasskeyRegistration(shared);
    this.#login = new PasskeyLogin({ ...shared, lockout: opts.lockout, logins: opts.logins });
  }

  /** enabled is true when `[webauthn]` is configured. */
  get enabled(): boolean {
    return this.#rp !== undefined;
  }

  /** listening tells the relying party the REST listener's port (the default origin's port). */
  listening(port: number): void {
    this.#rp?.listening(port);
  }

  /** beginRegistration re-authenticates the account's owner and starts enrolling a passkey. */
  beginRegistration(account: AccountRecord, password: string): Promise<BegunCeremony> {
    return this.#on(this.#registration).begin(account, password);
  }

  /** finishRegistration verifies the authenticator's answer and stores the passkey. */
  async finishRegistration(
    account: AccountRecord,
    req: { challengeId: string; credential: JsonObject | undefined; name: string },
    actor: Actor,
  ): Promise<PasskeyView> {
    return passkeyView(await this.#on(this.#registration).finish(account, req, actor));
  }

  /** beginLogin starts a login ('' for a passwordless one with a discoverable credential). */
  beginLogin(username: string): Promise<BegunCeremony> {
    return this.#on(this.#login).begin(username);
  }

  /** finishLogin verifies an assertion and, as a password login does, applies policy and issues a token. */
  finishLogin(input: PasskeyLoginInput): Promise<IssuedToken> {
    return this.#on(this.#login).finish(input);
  }

  /** list returns an account's passkeys (deleted accounts included, for the record). */
  list(accountUuid: string): PasskeyView[] {
    this.#on(this.#rp);
    return this.#stores.webauthn.ofAccount(this.#accounts.find(accountUuid).id).map(passkeyView);
  }

  /** remove deletes one passkey of an account; 404 when the account has no such passkey. */
  remove(accountUuid: string, passkeyId: string, actor: Actor): void {
    this.#on(this.#rp);
    const account = this.#accounts.find(accountUuid);
    const record = passkeyId === '' ? undefined : this.#stores.webauthn.byUuid(passkeyId);
    if (record === undefined || record.accountId !== account.id || !this.#stores.webauthn.delete(record.id)) {
      throw new NotFoundError(`passkey ${JSON.stringify(passkeyId.slice(0, 64))} not found on this account`);
    }
    this.#audit.record({
      type: AuditEvents.WebAuthnRemoved,
      actorId: actor.id,
      targetId: account.uuid,
      ip: actor.ip,
      details: { credential: record.uuid, name: record.name },
    });
  }

  #on<T>(part: T | undefined): T {
    if (part === undefined) {
      throw new PreconditionError('webauthn is not configured; add a [webauthn] section (rp_id) to mcias.toml', {
        code: 'ERR_WEBAUTHN_DISABLED',
      });
    }
    return part;
  }
}
