import { ConflictError, ForbiddenError, InvalidRequestError, PreconditionError } from '@metacircular/mcdsl';
import type { BarrierView, Engine, EngineDeps, MountInfo, OpContext } from '../../engine/index.js';
import { runBatch, type BatchOutcome } from './batch.js';
import {
  dataKeyWith,
  decryptWith,
  encryptWith,
  rewrapWith,
  type DataKeyInput,
  type DataKeyOutput,
  type DecryptInput,
  type DecryptOutput,
  type EncryptInput,
  type EncryptOutput,
  type RewrapInput,
} from './encryption-ops.js';
import { applyKeyConfig, applyTrim, type KeyConfigChange } from './key-config.js';
import { TransitKeyStore } from './key-store.js';
import { parseKeyType, useOf, type TransitKeyUse } from './key-types.js';
import type { LiveKey } from './live-key.js';
import {
  hmacWith,
  signWith,
  verifyHmacWith,
  verifyWith,
  type HmacInput,
  type HmacOutput,
  type SignInput,
  type SignOutput,
  type VerifyHmacInput,
  type VerifyInput,
} from './signing-ops.js';
import { checkKeyName, newStoredKey, newVersion, type TransitKeyInfo } from './stored-key.js';

/** Alternatives lists sets of actions; policy must allow every action of at least one set. */
type Alternatives = ReadonlyArray<readonly string[]>;

// rewrap is its own action, or decrypt and encrypt together (spec §8.2)
const rewrapActions: Alternatives = [['rewrap'], ['decrypt', 'encrypt']];

const useNames: Record<TransitKeyUse, string> = {
  encryption: 'an encryption key (aes256-gcm or chacha20-poly1305)',
  signing: 'a signing key (ed25519, ecdsa-p256 or ecdsa-p384)',
  hmac: 'an hmac-sha256 key',
};

/**
 * TransitEngine is a live transit mount (spec §8.2). Every operation runs the same checks in
 * order: the key name is well formed, policy allows the action on transit/{mount}/keys/{name}
 * (before the key is looked up, so a caller without rights cannot probe which keys exist), the
 * key exists, its type serves the operation. It notes the key and version for the audit record,
 * never data. Batch variants check once and then report each item's error separately.
 */
export class TransitEngine implements Engine {
  readonly type = 'transit' as const;
  private readonly keys: TransitKeyStore;

  constructor(
    readonly mount: MountInfo,
    view: BarrierView,
    private readonly deps: EngineDeps,
  ) {
    this.keys = new TransitKeyStore(view, mount.name);
  }

  /** seal forgets every imported key; the barrier keeps the stored ones. */
  seal(): void {
    this.keys.clear();
  }

  /** createKey makes a key with its first version (action `write`). */
  createKey(ctx: OpContext, name: string, type: string): TransitKeyInfo {
    this.authorize(ctx, 'write', checkKeyName(name));
    const keyType = parseKeyType(type);
    if (this.keys.exists(name)) throw new ConflictError(`transit key "${name}" already exists; rotate it or pick another name`);
    ctx.note({ key: name, type: keyType, version: 1 });
    return this.keys.create(newStoredKey(name, keyType, this.deps.now())).info;
  }

  /** getKey returns a key's metadata and public keys (action `read`). */
  getKey(ctx: OpContext, name: string): TransitKeyInfo {
    this.authorize(ctx, 'read', checkKeyName(name));
    ctx.note({ key: name });
    return this.keys.live(name).info;
  }

  /** listKeys returns the keys the caller may `list`, by name (no rule, no keys: never a 403). */
  listKeys(ctx: OpContext): TransitKeyInfo[] {
    const visible = this.keys.names().filter((name) => this.allowed(ctx, 'list', name));
    ctx.note({ keys: visible.length });
    return visible.map((name) => this.keys.live(name).info);
  }

  /** rotateKey adds a version, which becomes the latest (action `rotate`). */
  rotateKey(ctx: OpContext, name: string): TransitKeyInfo {
    this.authorize(ctx, 'rotate', checkKeyName(name));
    const now = this.deps.now().toISOString();
    const key = this.keys.update(name, (stored) => {
      stored.latest_version += 1;
      stored.versions[String(stored.latest_version)] = newVersion(stored.type, now);
      stored.updated_at = now;
    });
    ctx.note({ key: name, version: key.info.latestVersion });
    return key.info;
  }

  /** updateKeyConfig changes the version bounds and deletion_allowed (action `write`). */
  updateKeyConfig(ctx: OpContext, name: string, change: KeyConfigChange): TransitKeyInfo {
    this.authorize(ctx, 'write', checkKeyName(name));
    const now = this.deps.now().toISOString();
    const key = this.keys.update(name, (stored) => {
      applyKeyConfig(stored, change);
      stored.updated_at = now;
    });
    const { minDecryptionVersion, minEncryptionVersion, deletionAllowed } = key.info;
    ctx.note({
      key: name,
      min_decryption_version: minDecryptionVersion,
      min_encryption_version: minEncryptionVersion,
      deletion_allowed: deletionAllowed,
    });
    return key.info;
  }

  /** deleteKey removes a key whose config allows it (action `delete`). */
  deleteKey(ctx: OpContext, name: string): void {
    this.authorize(ctx, 'delete', checkKeyName(name));
    this.keys.remove(name, (stored) => {
      if (!stored.deletion_allowed) {
        throw new PreconditionError(`transit key "${name}" does not allow deletion; set deletion_allowed with its config first`);
      }
    });
    ctx.note({ key: name });
  }

  /** trimKey deletes the versions below minAvailable for good (admins only, by the access table). */
  trimKey(ctx: OpContext, name: string, minAvailable: number): TransitKeyInfo {
    this.authorize(ctx, 'trim', checkKeyName(name));
    const now = this.deps.now().toISOString();
    const key = this.keys.update(name, (stored) => {
      applyTrim(stored, minAvailable);
      stored.updated_at = now;
    });
    ctx.note({ key: name, min_available_version: minAvailable });
    return key.info;
  }

  /** encrypt encrypts one plaintext (action `encrypt`). */
  encrypt(ctx: OpContext, name: string, input: EncryptInput): EncryptOutput {
    return this.one(ctx, name, [['encrypt']], 'encryption', encryptWith, input, (o) => o.keyVersion);
  }

  /** encryptBatch encrypts many plaintexts with one policy check. */
  encryptBatch(ctx: OpContext, name: string, inputs: readonly EncryptInput[]): Array<BatchOutcome<EncryptOutput>> {
    return this.batch(ctx, name, [['encrypt']], 'encryption', encryptWith, inputs);
  }

  /** decrypt decrypts one ciphertext (action `decrypt`). */
  decrypt(ctx: OpContext, name: string, input: DecryptInput): DecryptOutput {
    return this.one(ctx, name, [['decrypt']], 'encryption', decryptWith, input, (o) => o.keyVersion);
  }

  /** decryptBatch decrypts many ciphertexts with one policy check. */
  decryptBatch(ctx: OpContext, name: string, inputs: readonly DecryptInput[]): Array<BatchOutcome<DecryptOutput>> {
    return this.batch(ctx, name, [['decrypt']], 'encryption', decryptWith, inputs);
  }

  /** rewrap re-encrypts a ciphertext under the latest version (action `rewrap`, or `decrypt` and `encrypt`). */
  rewrap(ctx: OpContext, name: string, input: RewrapInput): EncryptOutput {
    return this.one(ctx, name, rewrapActions, 'encryption', rewrapWith, input, (o) => o.keyVersion);
  }

  /** rewrapBatch re-encrypts many ciphertexts with one policy check. */
  rewrapBatch(ctx: OpContext, name: string, inputs: readonly RewrapInput[]): Array<BatchOutcome<EncryptOutput>> {
    return this.batch(ctx, name, rewrapActions, 'encryption', rewrapWith, inputs);
  }

  /** generateDataKey makes a data key for envelope encryption (action `datakey`). */
  generateDataKey(ctx: OpContext, name: string, input: DataKeyInput): DataKeyOutput {
    return this.one(ctx, name, [['datakey']], 'encryption', dataKeyWith, input, (o) => o.keyVersion);
  }

  /** sign signs one message (action `sign`). */
  sign(ctx: OpContext, name: string, input: SignInput): SignOutput {
    return this.one(ctx, name, [['sign']], 'signing', signWith, input, (o) => o.keyVersion);
  }

  /** signBatch signs many messages with one policy check. */
  signBatch(ctx: OpContext, name: string, inputs: readonly SignInput[]): Array<BatchOutcome<SignOutput>> {
    return this.batch(ctx, name, [['sign']], 'signing', signWith, inputs);
  }

  /** verify checks a signature (action `verify`). */
  verify(ctx: OpContext, name: string, input: VerifyInput): boolean {
    return this.one(ctx, name, [['verify']], 'signing', verifyWith, input);
  }

  /** hmac computes an HMAC with any key's per-version HMAC key (action `hmac`). */
  hmac(ctx: OpContext, name: string, input: HmacInput): HmacOutput {
    return this.one(ctx, name, [['hmac']], 'any', hmacWith, input, (o) => o.keyVersion);
  }

  /** hmacBatch computes many HMACs with one policy check. */
  hmacBatch(ctx: OpContext, name: string, inputs: readonly HmacInput[]): Array<BatchOutcome<HmacOutput>> {
    return this.batch(ctx, name, [['hmac']], 'any', hmacWith, inputs);
  }

  /** verifyHmac checks an HMAC in constant time (action `hmac`). */
  verifyHmac(ctx: OpContext, name: string, input: VerifyHmacInput): boolean {
    return this.one(ctx, name, [['hmac']], 'any', verifyHmacWith, input);
  }

  private one<I, O>(
    ctx: OpContext,
    name: string,
    actions: Alternatives,
    use: TransitKeyUse | 'any',
    op: (key: LiveKey, input: I) => O,
    input: I,
    versionOf?: (out: O) => number,
  ): O {
    const key = this.prepare(ctx, name, actions, use);
    const out = op(key, input);
    ctx.note(versionOf ? { key: name, version: versionOf(out) } : { key: name });
    return out;
  }

  private batch<I, O>(
    ctx: OpContext,
    name: string,
    actions: Alternatives,
    use: TransitKeyUse | 'any',
    op: (key: LiveKey, input: I) => O,
    inputs: readonly I[],
  ): Array<BatchOutcome<O>> {
    const key = this.prepare(ctx, name, actions, use);
    const outcomes = runBatch(inputs, (input) => op(key, input));
    ctx.note({ key: name, batch: inputs.length, failed: outcomes.filter((o) => !o.ok).length });
    return outcomes;
  }

  /** prepare runs the checks every data operation starts with, in the order the class doc gives. */
  private prepare(ctx: OpContext, name: string, actions: Alternatives, use: TransitKeyUse | 'any'): LiveKey {
    checkKeyName(name);
    this.authorizeAny(ctx, name, actions);
    const key = this.keys.live(name);
    if (use !== 'any' && useOf(key.info.type) !== use) {
      throw new InvalidRequestError(`key "${name}" is a ${key.info.type} key; this operation needs ${useNames[use]}`);
    }
    return key;
  }

  private authorizeAny(ctx: OpContext, name: string, alternatives: Alternatives): void {
    let denied: unknown;
    for (const set of alternatives) {
      try {
        for (const action of set) this.authorize(ctx, action, name);
        return;
      } catch (err) {
        if (!(err instanceof ForbiddenError)) throw err;
        denied ??= err;
      }
    }
    throw denied;
  }

  private authorize(ctx: OpContext, action: string, name: string): void {
    ctx.authorize(action, `transit/${this.mount.name}/keys/${name}`);
  }

  private allowed(ctx: OpContext, action: string, name: string): boolean {
    try {
      this.authorize(ctx, action, name);
      return true;
    } catch (err) {
      if (err instanceof ForbiddenError) return false;
      throw err;
    }
  }
}
