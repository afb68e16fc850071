import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError, PreconditionError } from '@metacircular/mcdsl';
import { formatFrame, parseFrame } from './cipher-frame.js';
import { fakeContext, testEngine } from './transit-test-kit.js';
import type { StoredKey } from './stored-key.js';

const text = (s: string) => Buffer.from(s, 'utf8');
const decryptError = (err: unknown) => err instanceof InvalidRequestError && err.message === 'ciphertext could not be decrypted';

describe('transit engine: keys', () => {
  it('creates a key of the default type with one version and no material in its metadata', () => {
    const { engine, store } = testEngine();
    const ctx = fakeContext();
    const info = engine.createKey(ctx, 'app', '');
    assert.equal(info.type, 'aes256-gcm');
    assert.equal(info.latestVersion, 1);
    assert.equal(info.minDecryptionVersion, 1);
    assert.equal(info.minEncryptionVersion, 0);
    assert.equal(info.deletionAllowed, false);
    assert.deepEqual(ctx.asked, [{ action: 'write', resource: 'transit/transit/keys/app' }]);
    assert.ok(!JSON.stringify(info).includes('material'));
    const stored = JSON.parse(store.get('engine/transit/keys/app')!.toString()) as StoredKey;
    assert.equal(Buffer.from(stored.versions['1']!.material, 'base64').length, 32);
    assert.ok(!JSON.stringify(info).includes(stored.versions['1']!.material));
  });

  it('refuses a duplicate, a bad name and an unknown type without writing', () => {
    const { engine, store } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'app', 'aes256-gcm');
    assert.throws(() => engine.createKey(ctx, 'app', 'ed25519'), ConflictError);
    for (const name of ['', '../x', 'a/b', 'a*', '.hidden', 'x'.repeat(129)]) {
      assert.throws(() => engine.createKey(ctx, name, ''), /is not a valid key name/);
    }
    assert.throws(() => engine.createKey(ctx, 'other', 'rsa-2048'), /not a transit key type/);
    assert.throws(() => engine.createKey(ctx, 'other', 'xchacha20-poly1305'), /use "chacha20-poly1305"/);
    assert.deepEqual([...store.keys()], ['engine/transit/keys/app']);
  });

  it('gets and lists keys, unknown keys are NotFoundError', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'b', 'ed25519');
    engine.createKey(ctx, 'a', 'hmac-sha256');
    assert.deepEqual(
      engine.listKeys(ctx).map((k) => k.name),
      ['a', 'b'],
    );
    assert.match(engine.getKey(ctx, 'b').versions[0]!.publicKeyPem ?? '', /BEGIN PUBLIC KEY/);
    assert.equal(engine.getKey(ctx, 'a').versions[0]!.publicKeyPem, undefined);
    assert.throws(() => engine.getKey(ctx, 'nope'), NotFoundError);
    assert.throws(() => engine.encrypt(ctx, 'nope', { plaintext: text('x') }), NotFoundError);
  });

  it('lists only the keys policy lets the caller list', () => {
    const { engine } = testEngine();
    engine.createKey(fakeContext(), 'app-one', '');
    engine.createKey(fakeContext(), 'db', '');
    const ctx = fakeContext((action, resource) => action === 'list' && resource.endsWith('/app-one'));
    assert.deepEqual(
      engine.listKeys(ctx).map((k) => k.name),
      ['app-one'],
    );
  });

  it('rotates, and old ciphertexts still decrypt while rewrap moves them to the latest version', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'app', '');
    const v1 = engine.encrypt(ctx, 'app', { plaintext: text('old secret') });
    assert.match(v1.ciphertext, /^metacrypt:v1:/);
    assert.equal(engine.rotateKey(ctx, 'app').latestVersion, 2);
    assert.equal(engine.rotateKey(ctx, 'app').latestVersion, 3);
    assert.equal(engine.decrypt(ctx, 'app', v1).plaintext.toString(), 'old secret');
    const v3 = engine.encrypt(ctx, 'app', { plaintext: text('new') });
    assert.equal(v3.keyVersion, 3);
    const rewrapped = engine.rewrap(ctx, 'app', { ciphertext: v1.ciphertext });
    assert.equal(rewrapped.keyVersion, 3);
    assert.match(rewrapped.ciphertext, /^metacrypt:v3:/);
    assert.equal(engine.decrypt(ctx, 'app', rewrapped).plaintext.toString(), 'old secret');
    // an explicit older version is allowed while min_encryption_version permits it
    assert.equal(engine.encrypt(ctx, 'app', { plaintext: text('x'), keyVersion: 2 }).keyVersion, 2);
    assert.throws(() => engine.encrypt(ctx, 'app', { plaintext: text('x'), keyVersion: 4 }), /does not exist/);
  });

  it('enforces min_decryption_version and min_encryption_version', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'app', '');
    const v1 = engine.encrypt(ctx, 'app', { plaintext: text('a') });
    engine.rotateKey(ctx, 'app');
    engine.updateKeyConfig(ctx, 'app', { minDecryptionVersion: 2 });
    assert.throws(
      () => engine.decrypt(ctx, 'app', v1),
      (err: unknown) =>
        err instanceof InvalidRequestError && err.message === "ciphertext version 1 is below the key's min_decryption_version 2",
    );
    assert.throws(() => engine.rewrap(ctx, 'app', v1), /below the key's min_decryption_version 2/);
    assert.throws(() => engine.encrypt(ctx, 'app', { plaintext: text('a'), keyVersion: 1 }), /min_decryption_version/);
    // lowering it again makes v1 readable: it is a bound, not a deletion
    engine.updateKeyConfig(ctx, 'app', { minDecryptionVersion: 1 });
    assert.equal(engine.decrypt(ctx, 'app', v1).plaintext.toString(), 'a');
    engine.updateKeyConfig(ctx, 'app', { minEncryptionVersion: 2 });
    assert.throws(() => engine.encrypt(ctx, 'app', { plaintext: text('a'), keyVersion: 1 }), /min_encryption_version 2/);
  });

  it('refuses inconsistent config and leaves the key unchanged', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'app', '');
    engine.rotateKey(ctx, 'app');
    assert.throws(() => engine.updateKeyConfig(ctx, 'app', { minDecryptionVersion: 3 }), /from 1 to the latest version 2/);
    assert.throws(() => engine.updateKeyConfig(ctx, 'app', { minDecryptionVersion: 0 }), InvalidRequestError);
    assert.throws(() => engine.updateKeyConfig(ctx, 'app', { minEncryptionVersion: 3 }), /at most the latest version 2/);
    engine.updateKeyConfig(ctx, 'app', { minEncryptionVersion: 1 });
    assert.throws(
      () => engine.updateKeyConfig(ctx, 'app', { minDecryptionVersion: 2, deletionAllowed: true }),
      /min_encryption_version 1 is below min_decryption_version 2/,
    );
    const info = engine.getKey(ctx, 'app');
    assert.equal(info.minDecryptionVersion, 1);
    assert.equal(info.deletionAllowed, false);
  });

  it('deletes a key only when deletion_allowed is set', () => {
    const { engine, store } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'app', '');
    assert.throws(() => engine.deleteKey(ctx, 'app'), PreconditionError);
    assert.equal(store.size, 1);
    engine.updateKeyConfig(ctx, 'app', { deletionAllowed: true });
    engine.deleteKey(ctx, 'app');
    assert.equal(store.size, 0);
    assert.throws(() => engine.getKey(ctx, 'app'), NotFoundError);
    assert.throws(() => engine.deleteKey(ctx, 'app'), NotFoundError);
  });

  it('trims versions below min_available_version, which may not pass min_decryption_version', () => {
    const { engine, store } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'app', '');
    const v1 = engine.encrypt(ctx, 'app', { plaintext: text('a') });
    engine.rotateKey(ctx, 'app');
    engine.rotateKey(ctx, 'app');
    assert.throws(() => engine.trimKey(ctx, 'app', 2), /raise min_decryption_version first/);
    engine.updateKeyConfig(ctx, 'app', { minDecryptionVersion: 3 });
    const info = engine.trimKey(ctx, 'app', 3);
    assert.equal(info.minAvailableVersion, 3);
    assert.deepEqual(
      info.versions.map((v) => v.version),
      [3],
    );
    const stored = JSON.parse(store.get('engine/transit/keys/app')!.toString()) as StoredKey;
    assert.deepEqual(Object.keys(stored.versions), ['3']);
    assert.throws(() => engine.trimKey(ctx, 'app', 2), /cannot come back/);
    assert.throws(() => engine.updateKeyConfig(ctx, 'app', { minDecryptionVersion: 1 }), /trimmed/);
    assert.throws(() => engine.decrypt(ctx, 'app', v1), /below the key's min_decryption_version 3/);
  });

  it('forgets imported keys on seal and reopens from the stored state', () => {
    const { engine, store } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'app', 'chacha20-poly1305');
    const out = engine.encrypt(ctx, 'app', { plaintext: text('kept') });
    engine.seal();
    const reopened = testEngine(store).engine;
    assert.equal(reopened.decrypt(ctx, 'app', out).plaintext.toString(), 'kept');
  });
});

describe('transit engine: encryption', () => {
  for (const type of ['aes256-gcm', 'chacha20-poly1305']) {
    it(`round-trips with ${type}, with and without context`, () => {
      const { engine } = testEngine();
      const ctx = fakeContext();
      engine.createKey(ctx, 'k', type);
      for (const plaintext of [Buffer.alloc(0), text('hello'), Buffer.alloc(4096, 7)]) {
        const a = engine.encrypt(ctx, 'k', { plaintext });
        assert.deepEqual(engine.decrypt(ctx, 'k', a).plaintext, plaintext);
        const b = engine.encrypt(ctx, 'k', { plaintext, context: text('tenant-1') });
        assert.deepEqual(engine.decrypt(ctx, 'k', { ...b, context: text('tenant-1') }).plaintext, plaintext);
        assert.throws(() => engine.decrypt(ctx, 'k', { ...b, context: text('tenant-2') }), decryptError);
        assert.throws(() => engine.decrypt(ctx, 'k', b), decryptError);
      }
      // random nonces: the same plaintext never gives the same ciphertext
      assert.notEqual(
        engine.encrypt(ctx, 'k', { plaintext: text('x') }).ciphertext,
        engine.encrypt(ctx, 'k', { plaintext: text('x') }).ciphertext,
      );
      assert.deepEqual(ctx.notes.at(-1), { key: 'k', version: 1 });
    });
  }

  it('rejects a tampered nonce, ciphertext, tag or version with one generic error', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'k', '');
    const { ciphertext } = engine.encrypt(ctx, 'k', { plaintext: text('sixteen byte msg') });
    engine.rotateKey(ctx, 'k');
    const frame = parseFrame(ciphertext, 'ciphertext');
    const regions = { nonce: 3, body: 12 + 5, tag: frame.bytes.length - 2 };
    for (const [region, at] of Object.entries(regions)) {
      const bytes = Buffer.from(frame.bytes);
      bytes[at]! ^= 0x01;
      assert.throws(() => engine.decrypt(ctx, 'k', { ciphertext: formatFrame(1, bytes) }), decryptError, region);
    }
    assert.throws(() => engine.decrypt(ctx, 'k', { ciphertext: formatFrame(2, frame.bytes) }), decryptError, 'version 2');
    assert.throws(() => engine.decrypt(ctx, 'k', { ciphertext: formatFrame(9, frame.bytes) }), /version 9 does not exist/);
    assert.throws(
      () => engine.decrypt(ctx, 'k', { ciphertext: formatFrame(1, frame.bytes.subarray(0, 27)) }),
      decryptError,
      'short',
    );
    assert.throws(
      () => engine.decrypt(ctx, 'k', { ciphertext: ciphertext.replace('metacrypt', 'metakrypt') }),
      /must read metacrypt:v<N>/,
    );
    assert.equal(engine.decrypt(ctx, 'k', { ciphertext }).plaintext.toString(), 'sixteen byte msg');
  });

  it('refuses a ciphertext of another key', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'a', '');
    engine.createKey(ctx, 'b', '');
    const out = engine.encrypt(ctx, 'a', { plaintext: text('x') });
    assert.throws(() => engine.decrypt(ctx, 'b', out), decryptError);
  });

  it('generates data keys that decrypt to the returned key; the wrapped variant hides it', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'k', '');
    const dk = engine.generateDataKey(ctx, 'k', {});
    assert.equal(dk.plaintextKey?.length, 32);
    assert.deepEqual(engine.decrypt(ctx, 'k', dk).plaintext, dk.plaintextKey);
    const small = engine.generateDataKey(ctx, 'k', { bits: 128, variant: 'wrapped', context: text('c') });
    assert.equal(small.plaintextKey, undefined);
    assert.equal(engine.decrypt(ctx, 'k', { ciphertext: small.ciphertext, context: text('c') }).plaintext.length, 16);
    assert.throws(() => engine.generateDataKey(ctx, 'k', { bits: 512 }), /bits must be 128 or 256/);
    assert.throws(() => engine.generateDataKey(ctx, 'k', { variant: 'raw' }), /variant must be/);
  });

  it('refuses encryption with a key of another type', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 's', 'ed25519');
    engine.createKey(ctx, 'h', 'hmac-sha256');
    assert.throws(
      () => engine.encrypt(ctx, 's', { plaintext: text('x') }),
      /is a ed25519 key; this operation needs an encryption key/,
    );
    assert.throws(() => engine.generateDataKey(ctx, 'h', {}), InvalidRequestError);
  });

  it('answers a batch item by item: one bad item does not fail the others', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'k', '');
    const enc = engine.encryptBatch(ctx, 'k', [
      { plaintext: text('one') },
      { plaintext: text('two'), keyVersion: 5 },
      { plaintext: text('three') },
    ]);
    assert.deepEqual(
      enc.map((o) => o.ok),
      [true, false, true],
    );
    assert.match(enc[1]!.ok ? '' : enc[1]!.error.message, /key_version 5 does not exist/);
    const cts = enc.flatMap((o) => (o.ok ? [{ ciphertext: o.value.ciphertext }] : []));
    const dec = engine.decryptBatch(ctx, 'k', [cts[0]!, { ciphertext: 'garbage' }, cts[1]!]);
    assert.deepEqual(
      dec.map((o) => (o.ok ? o.value.plaintext.toString() : o.error.message)),
      ['one', 'ciphertext must read metacrypt:v<N>:<base64>, as returned by this engine', 'three'],
    );
    assert.deepEqual(ctx.notes.at(-1), { key: 'k', batch: 3, failed: 1 });
    assert.throws(() => engine.encryptBatch(ctx, 'k', []), /batch_input is empty/);
    assert.throws(
      () =>
        engine.encryptBatch(
          ctx,
          'k',
          Array.from({ length: 1001 }, () => ({ plaintext: text('x') })),
        ),
      /limit is 1000/,
    );
  });
});

describe('transit engine: policy', () => {
  it('asks for the action on transit/{mount}/keys/{name} before looking the key up', () => {
    const { engine } = testEngine();
    engine.createKey(fakeContext(), 'k', '');
    const denyAll = fakeContext(() => false);
    // an unknown key answers 403, not 404: existence is not revealed
    assert.throws(() => engine.encrypt(denyAll, 'missing', { plaintext: text('x') }), ForbiddenError);
    assert.deepEqual(denyAll.asked, [{ action: 'encrypt', resource: 'transit/transit/keys/missing' }]);
    assert.equal(denyAll.notes.length, 0);
  });

  it('an encrypt-only caller can encrypt but not decrypt', () => {
    const { engine } = testEngine();
    engine.createKey(fakeContext(), 'k', '');
    const ctx = fakeContext((action) => action === 'encrypt');
    const out = engine.encrypt(ctx, 'k', { plaintext: text('x') });
    assert.throws(() => engine.decrypt(ctx, 'k', out), ForbiddenError);
    assert.throws(() => engine.rewrap(ctx, 'k', out), ForbiddenError);
    assert.throws(() => engine.rotateKey(ctx, 'k'), ForbiddenError);
  });

  it('rewrap is allowed by `rewrap`, or by `decrypt` and `encrypt` together', () => {
    const { engine } = testEngine();
    engine.createKey(fakeContext(), 'k', '');
    const out = engine.encrypt(fakeContext(), 'k', { plaintext: text('x') });
    assert.equal(
      engine.rewrap(
        fakeContext((a) => a === 'rewrap'),
        'k',
        out,
      ).keyVersion,
      1,
    );
    assert.equal(
      engine.rewrap(
        fakeContext((a) => a === 'decrypt' || a === 'encrypt'),
        'k',
        out,
      ).keyVersion,
      1,
    );
    assert.throws(
      () =>
        engine.rewrap(
          fakeContext((a) => a === 'decrypt'),
          'k',
          out,
        ),
      ForbiddenError,
    );
  });

  it('uses the spec action of every operation', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'e', '');
    engine.createKey(ctx, 's', 'ecdsa-p256');
    const ct = engine.encrypt(ctx, 'e', { plaintext: text('x') });
    engine.decrypt(ctx, 'e', ct);
    engine.generateDataKey(ctx, 'e', {});
    engine.getKey(ctx, 'e');
    engine.rotateKey(ctx, 'e');
    engine.updateKeyConfig(ctx, 'e', { deletionAllowed: true });
    const sig = engine.sign(ctx, 's', { input: text('m') });
    engine.verify(ctx, 's', { input: text('m'), signature: sig.signature });
    const mac = engine.hmac(ctx, 's', { input: text('m') });
    engine.verifyHmac(ctx, 's', { input: text('m'), hmac: mac.hmac });
    engine.deleteKey(ctx, 'e');
    assert.deepEqual(
      ctx.asked.map((a) => a.action),
      ['write', 'write', 'encrypt', 'decrypt', 'datakey', 'read', 'rotate', 'write', 'sign', 'verify', 'hmac', 'hmac', 'delete'],
    );
  });
});
