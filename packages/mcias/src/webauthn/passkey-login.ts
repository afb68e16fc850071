import type { JsonObject } from '@bufbuild/protobuf';
import { InvalidRequestError } from '@metacircular/mcdsl';
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticatorTransportFuture,
} from '@simplewebauthn/server';
import { invalidCredentials, type LoginFlow, type Lockout, type PasswordCheck } from '../accounts/index.js';
import { AuditEvents, type AuditLog } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { AccountRecord, Stores, WebAuthnCredentialRecord } from '../store/index.js';
import type { IssuedToken } from '../tokens/index.js';
import { challengeTtlMs, type ChallengeStore } from './challenge-store.js';
import { credentialAAD, type CredentialVault } from './credential-vault.js';
import { uuidBytes, type BegunCeremony } from './passkey-registration.js';
import type { RelyingParty } from './relying-party.js';
import { authenticationResponseOf, credentialIdBytes, toStruct } from './webauthn-json.js';

/** PasskeyLoginInput is one FinishWebAuthnLogin with the calling service's context. */
export interface PasskeyLoginInput {
  readonly challengeId: string;
  readonly credential: JsonObject | undefined;
  /** '' for a passwordless login; otherwise the passkey is the second factor after this password */
  readonly password: string;
  readonly serviceName: string;
  readonly tags: readonly string[];
  readonly ip: string;
}

/**
 * PasskeyLogin signs in with a passkey, either alone (passwordless: the authenticator must
 * have verified the user, by PIN or biometric, so possession and verification are the two
 * factors) or as the second factor after the password (then user presence is enough). Either
 * way it stands in for TOTP: an account with TOTP on is not asked for a code.
 *
 * begin: with a username, allowCredentials lists that account's credentials (and userVerification
 *   is preferred); an unknown or passkey-less username gets one decoy id derived from the name,
 *   so the answer does not tell who has passkeys. Without a username allowCredentials is empty
 *   (a discoverable credential is chosen by the authenticator) and userVerification is required.
 * finish, in order (every failure the same 401 "invalid credentials", audited with its reason):
 *   1. the challenge: single-use, unexpired, a login challenge
 *   2. the credential, found by the HMAC of its id; its account active and human, the one named
 *      at begin (if any) and the one in the user handle (if any)
 *   3. lockout, before any verification
 *   4. the assertion (challenge, origin, RP ID, signature, user presence); a failure counts toward
 *      the lockout; without a password the UV flag is required too
 *   5. the signature counter must increase (unless it is 0 on both sides): a counter that does not
 *      is a cloned authenticator or a replay, refused and audited as counter_regression
 *   6. the password, if given (Argon2id under the lockout)
 *   7. the counter is stored (conditionally, so two concurrent logins cannot both pass) and the
 *      failure counter reset
 *   8. LoginFlow.grant: the login policy (403) and the token, as for a password login.
 */
export class PasskeyLogin {
  readonly #rp: RelyingParty;
  readonly #challenges: ChallengeStore;
  readonly #credentials: CredentialVault;
  readonly #stores: Stores;
  readonly #check: PasswordCheck;
  readonly #lockout: Lockout;
  readonly #logins: LoginFlow;
  readonly #audit: AuditLog;
  readonly #now: Clock;

  constructor(opts: {
    rp: RelyingParty;
    challenges: ChallengeStore;
    credentials: CredentialVault;
    stores: Stores;
    check: PasswordCheck;
    lockout: Lockout;
    logins: LoginFlow;
    audit: AuditLog;
    now: Clock;
  }) {
    this.#rp = opts.rp;
    this.#challenges = opts.challenges;
    this.#credentials = opts.credentials;
    this.#stores = opts.stores;
    this.#check = opts.check;
    this.#lockout = opts.lockout;
    this.#logins = opts.logins;
    this.#audit = opts.audit;
    this.#now = opts.now;
  }

  async begin(username: string): Promise<BegunCeremony> {
    // Held in memory with the challenge: no username is longer than 64 characters.
    if (username.length > 64) throw new InvalidRequestError('username is too long', { code: 'ERR_BAD_USERNAME' });
    const allowCredentials = username === '' ? [] : this.#allowCredentials(username);
    const { id, challenge } = this.#challenges.put('login', username);
    const options = await generateAuthenticationOptions({
      rpID: this.#rp.id,
      allowCredentials,
      challenge: Buffer.from(challenge.challenge, 'base64url'),
      timeout: challengeTtlMs,
      userVerification: username === '' ? 'required' : 'preferred',
    });
    return { challengeId: id, options: toStruct(options) };
  }

  async finish(input: PasskeyLoginInput): Promise<IssuedToken> {
    const challenge = this.#challenges.take(input.challengeId, 'login');
    const named = challenge?.subject ?? '';
    if (challenge === undefined) throw this.#fail(input, named, 'bad_challenge');
    const response = authenticationResponseOf(input.credential);
    const record = this.#stores.webauthn.byHmac(this.#credentials.lookupHmac(credentialIdBytes(response.id)));
    if (record === undefined) throw this.#fail(input, named, 'unknown_credential');
    const account = this.#stores.accounts.byId(record.accountId);
    const context = { account, record };
    if (account === undefined || account.status !== 'active' || account.accountType !== 'human') {
      throw this.#fail(input, named, 'inactive', context);
    }
    const handle = response.response.userHandle;
    if (
      (named !== '' && named !== account.username) ||
      (handle && !uuidBytes(account.uuid).equals(Buffer.from(handle, 'base64url')))
    ) {
      throw this.#fail(input, named, 'wrong_account', context);
    }
    if (this.#lockout.isLocked(account.id)) throw this.#fail(input, named, 'locked', context);

    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: this.#rp.origin,
        expectedRPID: this.#rp.id,
        // Counter 0 turns the library's own counter check off: step 5 below does it, after the
        // signature is known good, so only a real authenticator's assertion can raise the alarm.
        credential: { id: response.id, publicKey: this.#openPublicKey(account, record), counter: 0 },
        requireUserVerification: false,
      });
    } catch {
      verified = undefined;
    }
    if (!verified?.verified) {
      this.#check.recordFailure(account);
      throw this.#fail(input, named, 'bad_assertion', context);
    }
    const secondFactor = input.password !== '';
    if (!secondFactor && !verified.authenticationInfo.userVerified) {
      this.#check.recordFailure(account);
      throw this.#fail(input, named, 'user_not_verified', context);
    }
    const counter = verified.authenticationInfo.newCounter;
    if (!counterAdvances(record.signCount, counter)) {
      throw this.#fail(input, named, 'counter_regression', context, { stored_counter: record.signCount, counter });
    }
    if (secondFactor && (await this.#check.check(account, input.password)) !== 'ok') {
      throw this.#fail(input, named, 'bad_password', context);
    }
    if (!this.#stores.webauthn.useCounter(record.id, counter, this.#now())) {
      throw this.#fail(input, named, 'counter_regression', context, { counter, concurrent: true });
    }
    this.#check.succeeded(account);
    return this.#logins.grant(
      account,
      { username: account.username, serviceName: input.serviceName, tags: input.tags, ip: input.ip },
      { okEvent: AuditEvents.WebAuthnLoginOk, details: { credential: record.uuid, second_factor: secondFactor } },
    );
  }

  #allowCredentials(username: string): Array<{ id: string; transports: AuthenticatorTransportFuture[] }> {
    const account = this.#stores.accounts.byUsername(username);
    const usable = account !== undefined && account.status === 'active' && account.accountType === 'human';
    const records = usable ? this.#stores.webauthn.ofAccount(account.id) : [];
    if (records.length === 0) {
      return [{ id: this.#credentials.decoyId(username).toString('base64url'), transports: [] }];
    }
    return records.map((r) => ({
      id: this.#credentials.open(r.credentialIdEnc, credentialAAD(account!.uuid, r.uuid, 'credential_id')).toString('base64url'),
      transports: r.transports as AuthenticatorTransportFuture[],
    }));
  }

  #openPublicKey(account: AccountRecord, record: WebAuthnCredentialRecord): Uint8Array<ArrayBuffer> {
    const key = this.#credentials.open(record.publicKeyEnc, credentialAAD(account.uuid, record.uuid, 'public_key'));
    return new Uint8Array(key);
  }

  #fail(
    input: PasskeyLoginInput,
    username: string,
    reason: string,
    found: { account?: AccountRecord | undefined; record?: WebAuthnCredentialRecord } = {},
    extra: Record<string, unknown> = {},
  ): Error {
    this.#audit.record({
      type: AuditEvents.WebAuthnLoginFail,
      targetId: found.account?.uuid,
      ip: input.ip,
      details: {
        username: (found.account?.username ?? username).slice(0, 128),
        service_name: input.serviceName.slice(0, 128),
        ...(input.tags.length > 0 ? { tags: input.tags.slice(0, 16) } : {}),
        ...(found.record ? { credential: found.record.uuid } : {}),
        second_factor: input.password !== '',
        reason,
        ...extra,
      },
    });
    return invalidCredentials();
  }
}

/** counterAdvances is the clone check: the counter must grow, unless the authenticator keeps none (0 and 0). */
export function counterAdvances(stored: number, received: number): boolean {
  return (stored === 0 && received === 0) || received > stored;
}
