import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError, type Logger } from '@metacircular/mcdsl';
import { memoryBarrierView, type BarrierView, type MountInfo } from '../../engine/index.js';
import { fakeOpContext } from './fake-op-context.js';
import { readKRLHeader } from './krl.js';
import { SSHReader, SSHWriter } from './ssh-wire.js';
import { sshcaProvider } from './sshca-provider.js';
import type { SSHCAEngine } from './sshca-engine.js';

let clock = new Date('2026-05-01T12:00:00Z');
const deps = { now: () => clock, logger: {} as Logger };

function mountEngine(config: Record<string, unknown> = { default_user_profile: true }): {
  engine: SSHCAEngine;
  view: BarrierView;
} {
  const view = memoryBarrierView();
  const mount: MountInfo = { name: 'ssh', type: 'sshca', config: sshcaProvider.validateConfig(config), createdAt: clock };
  view.transaction(() => sshcaProvider.initialize(mount, view, deps));
  return { engine: sshcaProvider.open(mount, view, deps), view };
}

function userKey(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const blob = new SSHWriter()
    .string('ssh-ed25519')
    .string(Buffer.from(jwk.x ?? '', 'base64url'))
    .finish();
  return `ssh-ed25519 ${blob.toString('base64')} alice@laptop`;
}

/** certFields decodes the fields ssh-keygen -L shows, to check what was signed */
function certFields(line: string) {
  const r = new SSHReader(Buffer.from(line.split(' ')[1] ?? '', 'base64'));
  const algorithm = r.text();
  r.string(); // nonce
  r.string(); // ed25519 key
  const serial = r.uint64();
  const type = r.uint32();
  const keyId = r.text();
  const pr = new SSHReader(r.string());
  const principals: string[] = [];
  while (pr.remaining > 0) principals.push(pr.text());
  const validAfter = Number(r.uint64());
  const validBefore = Number(r.uint64());
  const options = r.string();
  const ext = new SSHReader(r.string());
  const extensions: string[] = [];
  while (ext.remaining > 0) extensions.push(ext.text(), ext.text());
  return {
    algorithm,
    serial,
    type,
    keyId,
    principals,
    validAfter,
    validBefore,
    options,
    extensions: extensions.filter((_, i) => i % 2 === 0),
  };
}

describe('sshca engine', () => {
  it('refuses unknown or bad mount config keys, naming the key', () => {
    assert.throws(() => sshcaProvider.validateConfig({ key_type: 'rsa' }), /config\.key_type/);
    assert.throws(() => sshcaProvider.validateConfig({ shared: true }), /config\.shared: unknown key/);
    assert.throws(() => sshcaProvider.validateConfig({ shared_ca_key: 'yes' }), /config\.shared_ca_key/);
    assert.deepEqual(sshcaProvider.validateConfig(undefined), {
      key_type: 'ed25519',
      shared_ca_key: false,
      default_user_profile: false,
    });
  });

  it('initializes separate user and host CA keys, or one shared key', () => {
    const separate = mountEngine().engine.caPublicKeys();
    assert.equal(separate.shared, false);
    assert.notEqual(separate.user.split(' ')[1], separate.host.split(' ')[1]);
    assert.match(separate.user, /^ssh-ed25519 \S+ metacrypt:ssh:user-ca$/);
    const shared = mountEngine({ shared_ca_key: true, key_type: 'ecdsa-p384' }).engine.caPublicKeys();
    assert.equal(shared.user, shared.host);
    assert.match(shared.user, /^ecdsa-sha2-nistp384 /);
  });

  it('signs a user cert for the caller by default, with serials counting up', () => {
    const { engine } = mountEngine();
    const ctx = fakeOpContext('alice', { allow: ['sign-user sshca/ssh/profile/default'] });
    const first = engine.signUserCert(ctx, { publicKey: userKey() });
    const second = engine.signUserCert(ctx, { publicKey: userKey(), keyId: 'laptop' });
    assert.equal(first.serial, 1);
    assert.equal(second.serial, 2);
    assert.deepEqual(first.principals, ['alice']);
    const f = certFields(first.certificate);
    assert.equal(f.algorithm, 'ssh-ed25519-cert-v01@openssh.com');
    assert.equal(f.serial, 1n);
    assert.equal(f.type, 1);
    assert.equal(f.keyId, 'alice@metacrypt:1');
    assert.equal(certFields(second.certificate).keyId, 'alice@metacrypt:2:laptop');
    assert.deepEqual(f.principals, ['alice']);
    // valid from a minute ago (clock skew) for the profile's default 16h
    assert.equal(f.validAfter, clock.getTime() / 1000 - 60);
    assert.equal(f.validBefore, clock.getTime() / 1000 + 16 * 3600);
    assert.deepEqual(f.extensions, [...f.extensions].sort());
    assert.ok(f.extensions.includes('permit-pty'));
    assert.deepEqual(ctx.asked[0], {
      action: 'sign-user',
      resource: 'sshca/ssh/profile/default',
      request: { sans: ['alice'], ttlMs: 16 * 3_600_000 },
    });
    assert.equal(ctx.notes[0]?.['serial'], 1);
  });

  it('caps the ttl at the profile maximum', () => {
    const { engine } = mountEngine();
    const signed = engine.signUserCert(fakeOpContext('root', { admin: true }), { publicKey: userKey(), ttl: '100h' });
    assert.equal(signed.ttlCapped, true);
    assert.equal(signed.validBefore.getTime() - clock.getTime(), 24 * 3_600_000);
  });

  it('enforces policy and the profile principals', () => {
    const { engine } = mountEngine();
    const nobody = fakeOpContext('bob');
    assert.throws(() => engine.signUserCert(nobody, { publicKey: userKey() }), ForbiddenError);
    const bob = fakeOpContext('bob', { allow: ['sign-user sshca/ssh/profile/default'] });
    assert.throws(
      () => engine.signUserCert(bob, { publicKey: userKey(), principals: ['root'] }),
      (err: unknown) =>
        err instanceof ForbiddenError && /principals: "root" is not allowed by profile "default"/.test(err.message),
    );
    // admins are bound by the profile too; a profile that lists root lets policy-allowed callers ask for it
    assert.throws(
      () => engine.signUserCert(fakeOpContext('adm', { admin: true }), { publicKey: userKey(), principals: ['root'] }),
      ForbiddenError,
    );
    engine.createProfile(fakeOpContext('adm', { admin: true }), {
      name: 'ops',
      certType: 'user',
      allowedPrincipals: ['root', 'deploy-*'],
    });
    const ops = fakeOpContext('bob', { allow: ['sign-user sshca/ssh/profile/ops'] });
    assert.deepEqual(
      engine.signUserCert(ops, { profile: 'ops', publicKey: userKey(), principals: ['root', 'deploy-web', 'bob'] }).principals,
      ['root', 'deploy-web', 'bob'],
    );
    assert.throws(() => engine.signUserCert(ops, { profile: 'ops', publicKey: userKey(), principals: ['deploy*'] }), /wildcard/);
    assert.equal(engine.listCerts().length, 1, 'refused requests store nothing');
  });

  it('refuses bad requests with errors naming the field, storing nothing', () => {
    const { engine } = mountEngine();
    const admin = fakeOpContext('adm', { admin: true });
    assert.throws(() => engine.signUserCert(admin, { publicKey: 'ssh-ed25519 nope' }), /^InvalidRequestError: public_key: /);
    assert.throws(() => engine.signUserCert(admin, { publicKey: userKey(), ttl: '1 day' }), /ttl: invalid duration/);
    assert.throws(() => engine.signUserCert(admin, { publicKey: userKey(), keyId: 'a b' }), /key_id:/);
    assert.throws(() => engine.signUserCert(admin, { profile: 'nope', publicKey: userKey() }), NotFoundError);
    assert.throws(
      () => engine.signHostCert(admin, { publicKey: userKey() }),
      /profile: "default" signs user certificates; use sign\/user/,
    );
    engine.createProfile(admin, { name: 'ecdsa-only', certType: 'user', allowedKeyTypes: ['ecdsa-p256'] });
    assert.throws(
      () => engine.signUserCert(admin, { profile: 'ecdsa-only', publicKey: userKey() }),
      /public_key: profile "ecdsa-only" does not sign ed25519/,
    );
    assert.equal(engine.listCerts().length, 0);
  });

  it('signs host certs with the host CA and requires host names', () => {
    const { engine } = mountEngine();
    const admin = fakeOpContext('adm', { admin: true });
    engine.createProfile(admin, { name: 'hosts', certType: 'host', allowedPrincipals: ['*.example.net'] });
    assert.throws(
      () => engine.signHostCert(admin, { profile: 'hosts', publicKey: userKey() }),
      /principals: name the host names/,
    );
    const signed = engine.signHostCert(admin, { profile: 'hosts', publicKey: userKey(), principals: ['web.example.net'] });
    const f = certFields(signed.certificate);
    assert.equal(f.type, 2);
    assert.deepEqual(f.extensions, []);
    assert.equal(signed.validBefore.getTime() - clock.getTime(), 720 * 3_600_000);
    const hostBlob = Buffer.from(engine.caPublicKeys().host.split(' ')[1] ?? '', 'base64');
    assert.ok(Buffer.from(signed.certificate.split(' ')[1] ?? '', 'base64').includes(hostBlob));
  });

  it('profile CRUD: conflict on create, replace on update, 404 after delete', () => {
    const { engine } = mountEngine();
    const admin = fakeOpContext('adm', { admin: true });
    assert.throws(() => engine.createProfile(admin, { name: 'default', certType: 'user' }), ConflictError);
    const updated = engine.updateProfile(admin, { name: 'default', certType: 'user', maxTtl: '2h', defaultTtl: '1h' });
    assert.equal(updated.maxTtlMs, 2 * 3_600_000);
    assert.deepEqual(updated.extensions, []);
    assert.throws(() => engine.updateProfile(admin, { name: 'missing', certType: 'user' }), NotFoundError);
    engine.deleteProfile(admin, 'default');
    assert.throws(() => engine.getProfile('default'), NotFoundError);
    assert.deepEqual(engine.listProfiles(), []);
  });

  it('revokes by serial, bumping the KRL version; 404 and 409 otherwise', () => {
    const { engine } = mountEngine();
    const admin = fakeOpContext('adm', { admin: true });
    const before = engine.krl();
    assert.equal(before.version, 1n);
    const signed = engine.signUserCert(admin, { publicKey: userKey() });
    engine.signUserCert(admin, { publicKey: userKey() });
    const revoked = engine.revoke(admin, signed.serial);
    assert.ok(revoked.revokedAt);
    const after = engine.krl();
    assert.equal(after.version, 2n);
    assert.ok(after.krl.length > before.krl.length);
    assert.equal(readKRLHeader(after.krl).comment, 'metacrypt sshca ssh');
    assert.throws(() => engine.revoke(admin, signed.serial), ConflictError);
    assert.throws(() => engine.revoke(admin, 99), NotFoundError);
    assert.throws(() => engine.revoke(admin, 0), InvalidRequestError);
    assert.equal(engine.krl().version, 2n, 'failed revocations leave the KRL alone');
    assert.deepEqual(
      engine.listCerts().map((c) => [c.serial, Boolean(c.revokedAt)]),
      [
        [1, true],
        [2, false],
      ],
    );
  });

  it('drops a revoked cert from the KRL a day after it expired', () => {
    const { engine } = mountEngine();
    const admin = fakeOpContext('adm', { admin: true });
    const old = engine.signUserCert(admin, { publicKey: userKey(), ttl: '1h' });
    engine.revoke(admin, old.serial);
    const withOld = engine.krl().krl.length;
    clock = new Date(clock.getTime() + 26 * 3_600_000);
    try {
      const fresh = engine.signUserCert(admin, { publicKey: userKey() });
      engine.revoke(admin, fresh.serial);
      assert.equal(engine.krl().krl.length, withOld, 'one serial listed, the expired one gone');
    } finally {
      clock = new Date('2026-05-01T12:00:00Z');
    }
  });

  it('seal drops the CA keys', () => {
    const { engine } = mountEngine();
    engine.seal();
    assert.throws(() => engine.signUserCert(fakeOpContext('adm', { admin: true }), { publicKey: userKey() }), /sealed/);
  });
});
