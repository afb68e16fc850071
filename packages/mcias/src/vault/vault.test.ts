import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase } from '@metacircular/mcdsl';
import { migrations, VaultStore } from '../store/index.js';
import { readMasterKeyFile } from './master-key.js';
import { Vault } from './vault.js';

function newVault(keySource: 'keyfile' | 'passphrase' = 'keyfile') {
  const db = openDatabase(':memory:');
  migrate(db, migrations);
  const store = new VaultStore(db);
  return { db, store, vault: new Vault({ store, keySource, now: () => 1_700_000_000_000 }) };
}

describe('Vault', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcias-vault-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts sealed, initialises only when allowed, and unseals with the right key only', async () => {
    const { store, vault } = newVault();
    const key = randomBytes(32);
    assert.equal(vault.sealed, true);
    assert.throws(() => vault.signingKey(), { code: 'ERR_SEALED' });
    await assert.rejects(vault.unseal({ key }, { allowInit: false }), { code: 'ERR_VAULT_UNINITIALIZED' });
    assert.equal(await vault.unseal({ key }, { allowInit: true }), true);
    assert.equal(vault.sealed, false);
    const kid = vault.signingKey().jwk.kid;
    const box = vault.encrypt(Buffer.from('x'), 'aad');
    assert.equal(vault.seal(), true);
    assert.throws(() => vault.decrypt(box, 'aad'), { code: 'ERR_SEALED' });
    await assert.rejects(vault.unseal({ key: randomBytes(32) }, { allowInit: false }), { code: 'ERR_WRONG_MASTER_KEY' });
    await assert.rejects(vault.unseal({ passphrase: 'x' }, { allowInit: false }), { code: 'ERR_KEY_SOURCE' });
    assert.equal(await vault.unseal({ key }, { allowInit: false }), true);
    assert.equal(vault.signingKey().jwk.kid, kid, 'the same signing key comes back');
    assert.equal(vault.decrypt(box, 'aad').toString(), 'x');
    assert.equal(store.meta()?.keySource, 'keyfile');
  });

  it('runs listeners on seal', async () => {
    const { vault } = newVault();
    let sealed = 0;
    vault.onSeal(() => sealed++);
    await vault.unseal({ key: randomBytes(32) }, { allowInit: true });
    vault.seal();
    vault.seal();
    assert.equal(sealed, 1);
  });

  it('reads key files: 32 raw bytes or 64 hex digits, never a loose file', async () => {
    const raw = randomBytes(32);
    writeFileSync(join(dir, 'raw.key'), raw, { mode: 0o600 });
    assert.deepEqual(await readMasterKeyFile(join(dir, 'raw.key')), raw);
    writeFileSync(join(dir, 'hex.key'), raw.toString('hex') + '\n', { mode: 0o600 });
    assert.deepEqual(await readMasterKeyFile(join(dir, 'hex.key')), raw);
    writeFileSync(join(dir, 'short.key'), 'abc', { mode: 0o600 });
    await assert.rejects(readMasterKeyFile(join(dir, 'short.key')), /32 raw bytes or 64 hex digits/);
    writeFileSync(join(dir, 'loose.key'), raw, { mode: 0o644 });
    await assert.rejects(readMasterKeyFile(join(dir, 'loose.key')), /chmod 600/);
    await assert.rejects(readMasterKeyFile(join(dir, 'absent.key')), /not found/);
  });
});
