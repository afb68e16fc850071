import { ForbiddenError, InvalidRequestError, NotFoundError, PreconditionError, SealedError } from '@metacircular/mcdsl';
import type { BarrierView, Engine, EngineDeps, MountInfo, OpContext } from '../../engine/index.js';
import { openEnvelope, sealEnvelope, type Envelope, type RecipientKey } from './envelope.js';
import { envelopeMac, macMatches } from './envelope-mac.js';
import { maxRecipients, parseEnvelope } from './parse-envelope.js';
import { notRegistered, UserKeyStore, type UserKeyInfo } from './user-key-store.js';
import { x25519PublicKeyOf } from './x25519.js';

/** DecryptedMessage is what a recipient gets back from decrypt. */
export interface DecryptedMessage {
  readonly plaintext: Buffer;
  readonly sender: string;
  readonly messageId: string;
}

const maxUsername = 256;

/**
 * UserEngine is a live user-to-user mount (spec §9). Key management is self-service: a caller
 * registers and rotates only their own key; anyone authenticated reads public keys. encrypt and
 * decrypt are checked against policy (`encrypt` / `decrypt` on `user/{mount}`), and decrypt also
 * requires the caller to be a listed recipient: there is no admin bypass for reading messages.
 * The engine keeps no key material in memory between calls (private keys are read from the
 * barrier per call and zeroed), so seal() only has to refuse further calls.
 */
export class UserEngine implements Engine {
  readonly type = 'user' as const;
  readonly mount: MountInfo;
  readonly #keys: UserKeyStore;
  #sealed = false;

  constructor(mount: MountInfo, view: BarrierView, deps: EngineDeps) {
    this.mount = mount;
    this.#keys = new UserKeyStore(view, deps.now);
  }

  get #resource(): string {
    return `user/${this.mount.name}`;
  }

  seal(): void {
    this.#sealed = true;
  }

  /** register creates the caller's key pair (idempotent: a second call returns the same key). */
  register(ctx: OpContext): UserKeyInfo {
    this.#live();
    const { info, created } = this.#keys.register(ctx.caller.username);
    ctx.note({ username: info.username, key_version: info.version, created });
    return info;
  }

  /** publicKey returns a user's current public key (any authenticated caller). */
  publicKey(ctx: OpContext, username: string): UserKeyInfo {
    this.#live();
    checkUsername('username', username);
    ctx.note({ username });
    const info = this.#keys.current(username);
    if (info === undefined) throw notRegistered(username);
    return info;
  }

  /** rotate gives the caller a new key version; old versions still decrypt old envelopes. */
  rotate(ctx: OpContext): UserKeyInfo {
    this.#live();
    const info = this.#keys.rotate(ctx.caller.username);
    ctx.note({ username: info.username, key_version: info.version });
    return info;
  }

  /** encrypt seals `plaintext` from the caller to every recipient and returns the envelope JSON. */
  encrypt(ctx: OpContext, recipients: readonly string[], plaintext: Uint8Array): { envelope: string; messageId: string } {
    this.#live();
    ctx.authorize('encrypt', this.#resource);
    if (recipients.length === 0) throw new InvalidRequestError('recipients: list at least one username');
    if (recipients.length > maxRecipients)
      throw new InvalidRequestError(`recipients: at most ${maxRecipients} users per message`);
    recipients.forEach((r, i) => checkUsername(`recipients[${i}]`, r));
    const repeated = recipients.find((r, i) => recipients.indexOf(r) !== i);
    if (repeated !== undefined) throw new InvalidRequestError(`recipients: ${JSON.stringify(repeated)} is listed twice`);
    const sender = ctx.caller.username;
    if (this.#keys.current(sender) === undefined)
      throw new PreconditionError(
        `register your own key first (POST /v1/user/${this.mount.name}/register): only registered users can send`,
      );
    const keys: RecipientKey[] = [];
    const missing: string[] = [];
    for (const user of recipients) {
      const info = this.#keys.current(user);
      if (info === undefined) missing.push(user);
      else keys.push({ user, version: info.version, publicKey: info.publicKey });
    }
    if (missing.length > 0) {
      const names = missing.map((m) => JSON.stringify(m)).join(', ');
      throw new NotFoundError(
        `no key on mount ${JSON.stringify(this.mount.name)} for recipient ${names}; they must register first`,
      );
    }
    const sealed = sealEnvelope(sender, keys, plaintext);
    const macKey = this.#keys.macKey();
    let envelope: Envelope;
    try {
      envelope = { ...sealed, mac: envelopeMac(macKey, sealed) };
    } finally {
      macKey.fill(0);
    }
    ctx.note({ message_id: envelope.id, recipients: [...recipients] });
    return { envelope: JSON.stringify(envelope), messageId: envelope.id };
  }

  /** decrypt opens an envelope for the caller, who must be one of its recipients (admins too). */
  decrypt(ctx: OpContext, envelopeText: string): DecryptedMessage {
    this.#live();
    const envelope = parseEnvelope(envelopeText);
    ctx.authorize('decrypt', this.#resource);
    ctx.note({ message_id: envelope.id });
    const me = ctx.caller.username;
    const entry = envelope.recipients.find((r) => r.user === me);
    if (entry === undefined)
      throw new ForbiddenError(
        `only the recipients of a message can decrypt it, and ${JSON.stringify(me)} is not one (admins included)`,
      );
    // The mount's attestation first: a forged or changed envelope gets the same answer as one
    // that fails to decrypt, before any key is looked up (no oracle).
    const macKey = this.#keys.macKey();
    const attested = macMatches(macKey, envelope);
    macKey.fill(0);
    if (!attested) throw this.#undecryptable();
    ctx.note({ sender: envelope.sender }); // only once the mount vouches for it
    const info = this.#keys.version(me, entry.key_version);
    const privateKey = this.#keys.privateKey(me, entry.key_version);
    if (info === undefined || privateKey === undefined) {
      privateKey?.fill(0);
      throw new NotFoundError(
        `your key version ${entry.key_version} on mount ${JSON.stringify(this.mount.name)} no longer exists, so this message cannot be decrypted`,
      );
    }
    try {
      // The stored public key must belong to the stored private key; a mismatch is corruption.
      if (!x25519PublicKeyOf(privateKey).equals(info.publicKey)) throw new Error('key pair mismatch');
      const plaintext = openEnvelope(envelope, entry, privateKey, info.publicKey);
      return { plaintext, sender: envelope.sender, messageId: envelope.id };
    } catch {
      throw this.#undecryptable();
    } finally {
      privateKey.fill(0);
    }
  }

  /** deleteUserKeys removes every key version of a user (admin; the access table checks). */
  deleteUserKeys(ctx: OpContext, username: string): void {
    this.#live();
    checkUsername('username', username);
    const versions = this.#keys.delete(username);
    ctx.note({ username, versions });
  }

  #undecryptable(): InvalidRequestError {
    return new InvalidRequestError(
      `envelope does not decrypt: it was changed, or was not made by mount ${JSON.stringify(this.mount.name)} for your key`,
    );
  }

  #live(): void {
    if (this.#sealed) throw new SealedError();
  }
}

function checkUsername(field: string, value: string): void {
  if (value === '' || value.length > maxUsername || [...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '\x7f'))
    throw new InvalidRequestError(`${field}: must be an MCIAS username (1-${maxUsername} characters, no control characters)`);
}
