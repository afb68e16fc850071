import { randomUUID } from 'node:crypto';
import type { JsonObject } from '@bufbuild/protobuf';
import { ConflictError, InvalidRequestError, PreconditionError } from '@metacircular/mcdsl';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type AuthenticatorTransportFuture,
} from '@simplewebauthn/server';
import { invalidCredentials, type PasswordCheck } from '../accounts/index.js';
import { AuditEvents, type Actor, type AuditLog } from '../audit/index.js';
import type { Clock } from '../clock.js';
import type { AccountRecord, Stores, WebAuthnCredentialRecord } from '../store/index.js';
import { challengeTtlMs, type ChallengeStore } from './challenge-store.js';
import { credentialAAD, type CredentialVault } from './credential-vault.js';
import type { RelyingParty } from './relying-party.js';
import { discoverableOf, registrationResponseOf, toStruct } from './webauthn-json.js';

/** maxPasskeysPerAccount bounds what one account can store. */
export const maxPasskeysPerAccount = 32;

/** BegunCeremony is what a begin call returns: the challenge id and the options for the browser. */
export interface BegunCeremony {
  readonly challengeId: string;
  readonly options: JsonObject;
}

/**
 * PasskeyRegistration enrols a passkey for the caller's own account (spec 1.7: self-service
 * only, with password re-authentication):
 *   begin:  the current password under the lockout (401 and a counted failure when wrong), then
 *           a 128-bit single-use challenge and creation options asking for a discoverable
 *           credential (residentKey preferred) and excluding the account's existing ones;
 *   finish: the challenge must be this account's registration challenge; the attestation is
 *           verified (challenge, origin, RP ID, user presence); the credential id and public key
 *           are stored as vault boxes with an HMAC of the id for lookup; a credential already
 *           registered (to anyone) is 409.
 */
export class PasskeyRegistration {
  readonly #rp: RelyingParty;
  readonly #challenges: ChallengeStore;
  readonly #credentials: CredentialVault;
  readonly #stores: Stores;
  readonly #check: PasswordCheck;
  readonly #audit: AuditLog;
  readonly #now: Clock;

  constructor(opts: {
    rp: RelyingParty;
    challenges: ChallengeStore;
    credentials: CredentialVault;
    stores: Stores;
    check: PasswordCheck;
    audit: AuditLog;
    now: Clock;
  }) {
    this.#rp = opts.rp;
    this.#challenges = opts.challenges;
    this.#credentials = opts.credentials;
    this.#stores = opts.stores;
    this.#check = opts.check;
    this.#audit = opts.audit;
    this.#now = opts.now;
  }

  async begin(account: AccountRecord, password: string): Promise<BegunCeremony> {
    if (password === '') throw new InvalidRequestError('password is required', { code: 'ERR_BAD_PASSWORD' });
    if ((await this.#check.check(account, password)) !== 'ok') throw invalidCredentials();
    this.#check.succeeded(account);
    this.#assertRoom(account);
    const existing = this.#stores.webauthn.ofAccount(account.id).map((r) => ({
      id: this.#openId(account, r).toString('base64url'),
      transports: r.transports as AuthenticatorTransportFuture[],
    }));
    const { id, challenge } = this.#challenges.put('register', account.uuid);
    const options = await generateRegistrationOptions({
      rpName: this.#rp.name,
      rpID: this.#rp.id,
      userName: account.username,
      userDisplayName: account.username,
      // The user handle is the account UUID: a discoverable login hands it back, and it is checked.
      userID: new Uint8Array(uuidBytes(account.uuid)),
      challenge: Buffer.from(challenge.challenge, 'base64url'),
      timeout: challengeTtlMs,
      attestationType: 'none',
      excludeCredentials: existing,
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    return { challengeId: id, options: toStruct(options) };
  }

  async finish(
    account: AccountRecord,
    req: { challengeId: string; credential: JsonObject | undefined; name: string },
    actor: Actor,
  ): Promise<WebAuthnCredentialRecord> {
    const challenge = this.#challenges.take(req.challengeId, 'register');
    if (challenge === undefined || challenge.subject !== account.uuid) {
      throw new InvalidRequestError('challenge_id is unknown, used or expired; begin the registration again', {
        code: 'ERR_BAD_CHALLENGE',
      });
    }
    const response = registrationResponseOf(req.credential);
    const name = passkeyName(req.name);
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: this.#rp.origin,
        expectedRPID: this.#rp.id,
        requireUserVerification: false,
      });
    } catch (err) {
      throw notVerified(err);
    }
    if (!verified.verified) throw notVerified();
    const { credential } = verified.registrationInfo;
    const credentialId = Buffer.from(credential.id, 'base64url');
    const hmac = this.#credentials.lookupHmac(credentialId);
    const uuid = randomUUID();
    const record = this.#stores.db.transaction(() => {
      if (this.#stores.webauthn.byHmac(hmac)) {
        throw new ConflictError('this authenticator credential is already registered', { code: 'ERR_PASSKEY_EXISTS' });
      }
      this.#assertRoom(account);
      this.#stores.webauthn.insert({
        uuid,
        accountId: account.id,
        credentialHmac: hmac,
        credentialIdEnc: this.#credentials.seal(credentialId, credentialAAD(account.uuid, uuid, 'credential_id')),
        publicKeyEnc: this.#credentials.seal(Buffer.from(credential.publicKey), credentialAAD(account.uuid, uuid, 'public_key')),
        signCount: credential.counter,
        transports: response.response.transports ?? [],
        discoverable: discoverableOf(response),
        name,
        createdAt: this.#now(),
      });
      return this.#stores.webauthn.byUuid(uuid)!;
    })();
    this.#audit.record({
      type: AuditEvents.WebAuthnRegistered,
      actorId: actor.id,
      targetId: account.uuid,
      ip: actor.ip,
      details: { credential: record.uuid, name: record.name, discoverable: record.discoverable },
    });
    return record;
  }

  #assertRoom(account: AccountRecord): void {
    if (this.#stores.webauthn.countOf(account.id) >= maxPasskeysPerAccount) {
      throw new PreconditionError(`an account holds at most ${maxPasskeysPerAccount} passkeys; remove one first`, {
        code: 'ERR_PASSKEY_LIMIT',
      });
    }
  }

  #openId(account: AccountRecord, r: WebAuthnCredentialRecord): Buffer {
    return this.#credentials.open(r.credentialIdEnc, credentialAAD(account.uuid, r.uuid, 'credential_id'));
  }
}

/** uuidBytes is the 16 bytes of a UUID (the WebAuthn user handle of an account). */
export function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex');
}

/** passkeyName validates a passkey's label: 1-64 characters, no control characters; default "passkey". */
export function passkeyName(raw: string): string {
  const name = raw.trim();
  if (name === '') return 'passkey';
  if ([...name].length > 64 || /\p{Cc}/u.test(name)) {
    throw new InvalidRequestError('name must be 1-64 characters without control characters', { code: 'ERR_BAD_NAME' });
  }
  return name;
}

// The library's reason names what did not match (origin, RP ID, challenge); it holds no secret.
function notVerified(cause?: unknown): InvalidRequestError {
  const why = cause instanceof Error ? `: ${cause.message.slice(0, 200)}` : '';
  return new InvalidRequestError(`the authenticator's registration response did not verify${why}`, {
    code: 'ERR_BAD_ATTESTATION',
    cause,
  });
}
