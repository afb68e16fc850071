// Where the SSH CA keeps its private keys: `ca/user` / `ca/host` are records without key
// material, the keys are binary PKCS#8 entries `keys/user` / `keys/host`, every DER Buffer read
// at open is zeroed once imported, and seal drops the keys. Memory barrier view, wrapped so the
// test sees every Buffer `get` hands out.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '@metacircular/mcdsl';
import { memoryBarrierView, type BarrierView, type MountInfo } from '../src/engine/index.js';
import { fakeOpContext } from '../src/engines/sshca/fake-op-context.js';
import { SSHCAKey } from '../src/engines/sshca/ssh-ca-key.js';
import { sshcaProvider } from '../src/engines/sshca/sshca-provider.js';
import { SSHWriter } from '../src/engines/sshca/ssh-wire.js';
import { generateKeyPairSync } from 'node:crypto';

const deps = { now: () => new Date('2026-05-01T12:00:00Z'), logger: {} as Logger };

function userKey(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const blob = new SSHWriter()
    .string('ssh-ed25519')
    .string(Buffer.from(jwk.x ?? '', 'base64url'))
    .finish();
  return `ssh-ed25519 ${blob.toString('base64')} alice@laptop`;
}

describe('SSH CA key storage', () => {
  it('keeps the CA private keys in binary entries, zeroes what it reads and drops the keys on seal', () => {
    const store = new Map<string, Buffer>();
    const inner = memoryBarrierView(store);
    const reads: Array<{ path: string; value: Buffer }> = [];
    const view: BarrierView = {
      ...inner,
      get(path) {
        const value = inner.get(path);
        if (value) reads.push({ path, value });
        return value;
      },
    };
    const config = sshcaProvider.validateConfig({ key_type: 'ecdsa-p256', shared_ca_key: false, default_user_profile: true });
    const mount: MountInfo = { name: 'ssh', type: 'sshca', config, createdAt: deps.now() };
    inner.transaction(() => sshcaProvider.initialize(mount, inner, deps));

    for (const which of ['user', 'host'] as const) {
      const record = JSON.parse(store.get(`ca/${which}`)!.toString('utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(record).sort(), ['created_at', 'key_type'], `ca/${which} holds no key`);
      const der = store.get(`keys/${which}`)!;
      for (const [path, value] of store)
        if (path !== `keys/${which}`)
          assert.ok(!value.toString('utf8').includes(der.toString('base64').slice(24, 64)), `${path} holds keys/${which}`);
    }

    const engine = sshcaProvider.open(mount, view, deps);
    const keyReads = reads.filter((r) => r.path.startsWith('keys/'));
    assert.deepEqual(keyReads.map((r) => r.path).sort(), ['keys/host', 'keys/user']);
    for (const r of keyReads)
      assert.ok(
        r.value.every((b) => b === 0),
        `${r.path} was not zeroed after import`,
      );
    const expected = (which: 'user' | 'host') =>
      SSHCAKey.load({ key_type: 'ecdsa-p256', created_at: '' }, Buffer.from(store.get(`keys/${which}`)!)).authorizedKeysLine('x');
    const lines = engine.caPublicKeys();
    assert.equal(lines.user.split(' ').slice(0, 2).join(' '), expected('user').split(' ').slice(0, 2).join(' '));
    assert.equal(lines.host.split(' ').slice(0, 2).join(' '), expected('host').split(' ').slice(0, 2).join(' '));
    assert.notEqual(lines.user.split(' ')[1], lines.host.split(' ')[1]);

    const admin = fakeOpContext('adm', { admin: true });
    assert.match(engine.signUserCert(admin, { publicKey: userKey(), principals: ['adm'] }).certificate, /-cert-v01@openssh.com /);
    engine.seal();
    assert.throws(() => engine.signUserCert(admin, { publicKey: userKey(), principals: ['adm'] }), /sealed/);
  });
});
