import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, verify } from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { formatFrame, parseFrame } from './cipher-frame.js';
import type { StoredKey } from './stored-key.js';
import { fakeContext, testEngine } from './transit-test-kit.js';

const msg = Buffer.from('the message', 'utf8');

describe('transit signing', () => {
  const cases = [
    { type: 'ed25519', hash: '', nodeDigest: null },
    { type: 'ecdsa-p256', hash: '', nodeDigest: 'sha256' },
    { type: 'ecdsa-p256', hash: 'sha512', nodeDigest: 'sha512' },
    { type: 'ecdsa-p384', hash: 'sha384', nodeDigest: 'sha384' },
  ] as const;
  for (const c of cases) {
    it(`signs with ${c.type}${c.hash ? ` / ${c.hash}` : ''}, verifiable with node:crypto from the public key`, () => {
      const { engine } = testEngine();
      const ctx = fakeContext();
      engine.createKey(ctx, 'k', c.type);
      const { signature, keyVersion } = engine.sign(ctx, 'k', { input: msg, hash: c.hash });
      assert.equal(keyVersion, 1);
      assert.equal(engine.verify(ctx, 'k', { input: msg, signature, hash: c.hash }), true);
      assert.equal(engine.verify(ctx, 'k', { input: Buffer.from('other'), signature, hash: c.hash }), false);
      const pem = engine.getKey(ctx, 'k').versions[0]!.publicKeyPem!;
      const raw = parseFrame(signature, 'signature').bytes;
      assert.equal(verify(c.nodeDigest, msg, createPublicKey(pem), raw), true);
      const flipped = Buffer.from(raw);
      flipped[flipped.length - 1]! ^= 0x01;
      assert.equal(engine.verify(ctx, 'k', { input: msg, signature: formatFrame(1, flipped), hash: c.hash }), false);
    });
  }

  it('verifies old versions after rotation until min_decryption_version passes them', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'k', 'ed25519');
    const old = engine.sign(ctx, 'k', { input: msg });
    engine.rotateKey(ctx, 'k');
    const fresh = engine.sign(ctx, 'k', { input: msg });
    assert.equal(fresh.keyVersion, 2);
    assert.notEqual(engine.getKey(ctx, 'k').versions[0]!.publicKeyPem, engine.getKey(ctx, 'k').versions[1]!.publicKeyPem);
    assert.equal(engine.verify(ctx, 'k', { input: msg, signature: old.signature }), true);
    // a version-1 signature relabelled as version 2 does not verify
    assert.equal(engine.verify(ctx, 'k', { input: msg, signature: old.signature.replace(':v1:', ':v2:') }), false);
    engine.updateKeyConfig(ctx, 'k', { minDecryptionVersion: 2 });
    assert.throws(() => engine.verify(ctx, 'k', { input: msg, signature: old.signature }), /signature version 1 is below/);
  });

  it('refuses bad hash choices and keys that cannot sign', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'ed', 'ed25519');
    engine.createKey(ctx, 'ec', 'ecdsa-p256');
    engine.createKey(ctx, 'aes', '');
    assert.throws(() => engine.sign(ctx, 'ed', { input: msg, hash: 'sha256' }), /hash does not apply to ed25519/);
    assert.throws(() => engine.sign(ctx, 'ec', { input: msg, hash: 'md5' }), /hash must be one of sha256, sha384, sha512/);
    assert.throws(() => engine.sign(ctx, 'aes', { input: msg }), /needs a signing key/);
    assert.throws(() => engine.verify(ctx, 'ec', { input: msg, signature: 'nope' }), InvalidRequestError);
  });

  it('signs a batch, one signature per item', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'k', 'ecdsa-p384');
    const out = engine.signBatch(ctx, 'k', [{ input: Buffer.from('a') }, { input: Buffer.from('b') }]);
    assert.equal(out.length, 2);
    for (const [i, o] of out.entries()) {
      assert.ok(o.ok);
      assert.equal(engine.verify(ctx, 'k', { input: Buffer.from(i === 0 ? 'a' : 'b'), signature: o.value.signature }), true);
    }
  });
});

describe('transit hmac', () => {
  it('hmac-sha256 keys MAC with their material, checked with node:crypto', () => {
    const { engine, store } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'h', 'hmac-sha256');
    const { hmac, keyVersion } = engine.hmac(ctx, 'h', { input: msg });
    assert.equal(keyVersion, 1);
    const stored = JSON.parse(store.get('engine/transit/keys/h')!.toString()) as StoredKey;
    const expected = createHmac('sha256', Buffer.from(stored.versions['1']!.material, 'base64')).update(msg).digest();
    assert.equal(hmac, formatFrame(1, expected));
    assert.equal(engine.verifyHmac(ctx, 'h', { input: msg, hmac }), true);
    assert.equal(engine.verifyHmac(ctx, 'h', { input: Buffer.from('x'), hmac }), false);
  });

  it('every key type has a per-version HMAC key; algorithms and lengths are checked', () => {
    const { engine } = testEngine();
    const ctx = fakeContext();
    engine.createKey(ctx, 'aes', '');
    engine.createKey(ctx, 'ed', 'ed25519');
    const a = engine.hmac(ctx, 'aes', { input: msg, algorithm: 'sha512' });
    assert.equal(parseFrame(a.hmac, 'hmac').bytes.length, 64);
    assert.equal(engine.verifyHmac(ctx, 'aes', { input: msg, hmac: a.hmac, algorithm: 'sha512' }), true);
    assert.equal(engine.verifyHmac(ctx, 'aes', { input: msg, hmac: a.hmac }), false, 'sha256 of the same input differs');
    assert.equal(engine.verifyHmac(ctx, 'ed', { input: msg, hmac: a.hmac, algorithm: 'sha512' }), false, 'another key');
    const truncated = formatFrame(1, parseFrame(a.hmac, 'hmac').bytes.subarray(0, 32));
    assert.equal(engine.verifyHmac(ctx, 'aes', { input: msg, hmac: truncated, algorithm: 'sha512' }), false);
    assert.throws(() => engine.hmac(ctx, 'aes', { input: msg, algorithm: 'sha1' }), /algorithm must be one of/);
    engine.rotateKey(ctx, 'aes');
    const b = engine.hmac(ctx, 'aes', { input: msg, algorithm: 'sha512' });
    assert.equal(b.keyVersion, 2);
    assert.notEqual(b.hmac.slice(13), a.hmac.slice(13));
    assert.equal(engine.verifyHmac(ctx, 'aes', { input: msg, hmac: a.hmac, algorithm: 'sha512' }), true);
    const batch = engine.hmacBatch(ctx, 'aes', [{ input: msg }, { input: msg, keyVersion: 7 }]);
    assert.deepEqual(
      batch.map((o) => o.ok),
      [true, false],
    );
  });
});
