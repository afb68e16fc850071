// The barrier on a real SQLite file: blob format, path binding (a value copied to another path
// or another mount does not decrypt), tampering, wrong password, per-mount DEK separation,
// prefix confinement of views and zeroing on seal.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase, SealedError, UnauthenticatedError, type SqliteDatabase } from '@metacircular/mcdsl';
import { Barrier, DecryptError, openBlob, sealBlob } from '../src/barrier/index.js';
import { BarrierStore, migrations, SealConfigStore } from '../src/store/index.js';

const kdf = { time: 1, memoryKib: 256, parallelism: 1 };

describe('barrier', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: BarrierStore;
  let barrier: Barrier;
  const raw = (path: string): Buffer => store.get(path)!;
  const setRaw = (path: string, value: Buffer) => store.put(path, value, new Date());

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metacrypt-barrier-'));
    db = openDatabase(join(dir, 'metacrypt.db'));
    migrate(db, migrations);
    store = new BarrierStore(db);
    barrier = new Barrier({ store, sealConfig: new SealConfigStore(db), now: () => new Date() });
  });
  after(async () => {
    db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('blob format is 0x01 | nonce12 | ciphertext | tag16, fresh nonce per write', () => {
    const key = Buffer.alloc(32, 7);
    const a = sealBlob(key, Buffer.from('hello'), 'p');
    const b = sealBlob(key, Buffer.from('hello'), 'p');
    assert.equal(a[0], 0x01);
    assert.equal(a.length, 1 + 12 + 5 + 16);
    assert.notDeepEqual(a, b);
    assert.equal(openBlob(key, a, 'p').toString(), 'hello');
    assert.throws(() => openBlob(key, a, 'q'), DecryptError);
    assert.throws(() => openBlob(Buffer.alloc(32, 8), a, 'p'), DecryptError);
    const flipped = Buffer.from(a);
    flipped[14]! ^= 1;
    assert.throws(() => openBlob(key, flipped, 'p'), DecryptError);
    assert.throws(() => openBlob(key, Buffer.concat([Buffer.of(2), a.subarray(1)]), 'p'), DecryptError);
    assert.throws(() => openBlob(key, a.subarray(0, 20), 'p'), DecryptError);
  });

  it('opens a blob into one buffer the caller can zero: no other plaintext copy is left behind', () => {
    const key = Buffer.alloc(32, 7);
    const plain = openBlob(key, sealBlob(key, Buffer.alloc(32, 9), 'p'), 'p');
    assert.deepEqual(plain, Buffer.alloc(32, 9));
    // A slice of node's shared pool would mean a copy was made and the decipher's output left unzeroed.
    assert.equal(plain.byteOffset, 0);
    assert.equal(plain.buffer.byteLength, plain.length);
  });

  it('starts uninitialized; init leaves it unsealed', async () => {
    assert.equal(barrier.state, 'uninitialized');
    assert.throws(() => barrier.coreView('x/').get('a'), SealedError);
    await barrier.init('correct horse battery staple', kdf);
    assert.equal(barrier.state, 'unsealed');
  });

  it('binds every value to its path: copied to another path it fails to decrypt', () => {
    const core = barrier.coreView('policy/');
    core.putJSON('rules/a', { secret: 'alpha' });
    assert.deepEqual(core.getJSON('rules/a'), { secret: 'alpha' });
    setRaw('sys/policy/rules/b', raw('sys/policy/rules/a'));
    assert.throws(() => core.get('rules/b'), DecryptError);
  });

  it('gives each mount its own DEK: a value copied between mounts fails to decrypt', () => {
    for (const m of ['one', 'two']) barrier.addDEK(m, barrier.newDEK(m).dek);
    const one = barrier.mountView('one');
    const two = barrier.mountView('two');
    one.put('k', Buffer.from('one-secret'));
    two.put('k', Buffer.from('two-secret'));
    // Same relative path, so only the key differs once the path prefix is made to match.
    setRaw('engine/two/k2', raw('engine/one/k'));
    assert.throws(() => two.get('k2'), DecryptError);
    // A mount-view value is not readable with the MEK (core view) either.
    setRaw('sys/stolen', raw('engine/one/k'));
    assert.throws(() => barrier.coreView('').get('stolen'), DecryptError);
  });

  it('wraps a DEK under the MEK bound to its mount name', () => {
    const { dek, wrapped } = barrier.newDEK('three');
    barrier.loadDEK('three', wrapped);
    barrier.mountView('three').put('x', Buffer.from('y'));
    assert.throws(() => barrier.loadDEK('four', wrapped), DecryptError);
    assert.equal(dek.length, 32);
  });

  it('confines views to their prefix and lists exactly', () => {
    const view = barrier.mountView('one');
    view.put('a/1', Buffer.from('1'));
    view.put('a/2', Buffer.from('2'));
    view.put('a_/3', Buffer.from('3'));
    view.put('b/1', Buffer.from('4'));
    assert.deepEqual(view.list('a/'), ['a/1', 'a/2']);
    assert.deepEqual(view.sub('a/').list(''), ['1', '2']);
    assert.equal(view.sub('a/').get('2')!.toString(), '2');
    assert.deepEqual(barrier.mountView('two').list(''), ['k', 'k2']);
    view.delete('a/1');
    view.delete('missing');
    assert.deepEqual(view.list('a/'), ['a/2']);
    assert.throws(() => view.put('', Buffer.from('x')), /barrier path/);
  });

  it('rolls a failed transaction back', () => {
    const view = barrier.mountView('one');
    assert.throws(() =>
      view.transaction(() => {
        view.put('tx/1', Buffer.from('x'));
        view.transaction(() => view.put('tx/2', Buffer.from('y')));
        throw new Error('boom');
      }),
    );
    assert.deepEqual(view.list('tx/'), []);
  });

  it('seal zeroes the keys: views refuse, a wrong password is refused, the right one unseals', async () => {
    const view = barrier.mountView('one');
    const { dek } = barrier.newDEK('zero');
    barrier.addDEK('zero', dek);
    barrier.seal();
    assert.ok(
      dek.every((b) => b === 0),
      'DEK buffers are overwritten with zeros',
    );
    assert.equal(barrier.state, 'sealed');
    assert.throws(() => view.get('a/2'), SealedError);
    assert.throws(() => barrier.coreView('policy/').list(''), SealedError);
    await assert.rejects(barrier.unseal('wrong password!'), UnauthenticatedError);
    assert.equal(barrier.state, 'sealed');
    await barrier.unseal('correct horse battery staple');
    assert.deepEqual(barrier.coreView('policy/').getJSON('rules/a'), { secret: 'alpha' });
    // DEKs come back only through the mount table (loadDEK); until then the mount is unknown.
    assert.throws(() => barrier.mountView('one').get('a/2'), /no mount named one/);
  });
});
