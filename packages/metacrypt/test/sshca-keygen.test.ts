// The sshca engine's wire formats checked by OpenSSH's own parser: ssh-keygen -L reads (and
// verifies the CA signature of) user and host certificates for every CA key type and for
// ed25519, ecdsa and rsa keys made by ssh-keygen -t; ssh-keygen -Q reads the KRL and reports a
// certificate revoked only after it was revoked. Engine-level (memory barrier): the server path
// is covered by sshca-api.test.ts and sshca-sshd.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@metacircular/mcdsl';
import { interopTool } from '@metacircular/mcdsl/testing';
import { memoryBarrierView, type MountInfo } from '../src/engine/index.js';
import { fakeOpContext } from '../src/engines/sshca/fake-op-context.js';
import { sshcaProvider } from '../src/engines/sshca/sshca-provider.js';
import type { SSHCAEngine } from '../src/engines/sshca/index.js';

const tool = interopTool('ssh-keygen');
const admin = fakeOpContext('root', { admin: true });

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // TZ=UTC so ssh-keygen -L prints validity in UTC, comparable with toISOString()
  const r = spawnSync(tool.path ?? 'ssh-keygen', args, { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function mountEngine(config: Record<string, unknown>): SSHCAEngine {
  const deps = { now: () => new Date(), logger: {} as Logger };
  const view = memoryBarrierView();
  const mount: MountInfo = { name: 'ssh', type: 'sshca', config: sshcaProvider.validateConfig(config), createdAt: new Date() };
  sshcaProvider.initialize(mount, view, deps);
  return sshcaProvider.open(mount, view, deps);
}

const utc = (d: Date) => d.toISOString().slice(0, 19);

describe('sshca certificates and KRL read by ssh-keygen', { skip: tool.skip }, () => {
  let dir: string;
  const keys: Record<string, string> = {};

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sshca-keygen-'));
    for (const [name, args] of Object.entries({
      ed25519: ['-t', 'ed25519'],
      ecdsa256: ['-t', 'ecdsa', '-b', '256'],
      ecdsa384: ['-t', 'ecdsa', '-b', '384'],
      rsa: ['-t', 'rsa', '-b', '3072'],
    })) {
      const path = join(dir, `id_${name}`);
      const r = run(['-q', ...args, '-N', '', '-C', `test-${name}`, '-f', path]);
      assert.equal(r.status, 0, r.stderr);
      keys[name] = readFileSync(`${path}.pub`, 'utf8');
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const caType of ['ed25519', 'ecdsa-p256', 'ecdsa-p384'] as const) {
    it(`a ${caType} CA signs user certs ssh-keygen -L accepts, for every user key type`, () => {
      const engine = mountEngine({ key_type: caType, default_user_profile: true });
      const caFile = join(dir, `ca-${caType}.pub`);
      writeFileSync(caFile, engine.caPublicKeys().user + '\n');
      const caPrint = run(['-l', '-f', caFile]);
      assert.equal(caPrint.status, 0, caPrint.stderr);
      const caFingerprint = caPrint.stdout.split(' ')[1];
      engine.createProfile(admin, {
        name: 'ops',
        certType: 'user',
        allowedPrincipals: ['root', 'deploy'],
        extensions: ['permit-pty', 'permit-agent-forwarding'],
        criticalOptions: { 'force-command': '/usr/bin/true', 'source-address': '127.0.0.1/32' },
      });
      for (const [name, publicKey] of Object.entries(keys)) {
        const signed = engine.signUserCert(admin, { profile: 'ops', publicKey, principals: ['root', 'deploy'], ttl: '2h' });
        const certFile = join(dir, `${caType}-${name}-cert.pub`);
        writeFileSync(certFile, signed.certificate + '\n');
        const shown = run(['-L', '-f', certFile]);
        assert.equal(shown.status, 0, `${name}: ${shown.stderr}`);
        const out = shown.stdout;
        assert.match(out, /Type: \S+-cert-v01@openssh\.com user certificate/);
        assert.ok(out.includes(`Signing CA: `) && out.includes(caFingerprint ?? '?'), out);
        assert.ok(out.includes(`Key ID: "root@metacrypt:${signed.serial}"`), out);
        assert.ok(out.includes(`Serial: ${signed.serial}`), out);
        assert.ok(out.includes(`Valid: from ${utc(signed.validAfter)} to ${utc(signed.validBefore)}`), out);
        assert.match(out, /Principals: \n\s+root\n\s+deploy\n/);
        assert.match(out, /force-command \/usr\/bin\/true\n\s+source-address 127\.0\.0\.1\/32\n/);
        assert.match(out, /Extensions: \n\s+permit-agent-forwarding\n\s+permit-pty\n/);
      }
    });
  }

  it('signs host certs ssh-keygen -L shows as host certificates with the host CA', () => {
    const engine = mountEngine({});
    engine.createProfile(admin, { name: 'hosts', certType: 'host', allowedPrincipals: ['*.example.test'] });
    const signed = engine.signHostCert(admin, {
      profile: 'hosts',
      publicKey: keys['ecdsa256'] ?? '',
      principals: ['web.example.test'],
    });
    const certFile = join(dir, 'host-cert.pub');
    writeFileSync(certFile, signed.certificate + '\n');
    const shown = run(['-L', '-f', certFile]);
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.stdout, /Type: ecdsa-sha2-nistp256-cert-v01@openssh\.com host certificate/);
    assert.match(shown.stdout, /Principals: \n\s+web\.example\.test\n/);
    assert.match(shown.stdout, /Critical Options: \(none\)\n\s+Extensions: \(none\)/);
    assert.ok(shown.stdout.includes(`Valid: from ${utc(signed.validAfter)} to ${utc(signed.validBefore)}`));
    writeFileSync(join(dir, 'host-ca.pub'), engine.caPublicKeys().host + '\n');
    const hostFp = run(['-l', '-f', join(dir, 'host-ca.pub')]).stdout.split(' ')[1] ?? '?';
    assert.ok(shown.stdout.includes(hostFp), 'signed by the host CA, not the user CA');
  });

  it('ssh-keygen -Q reports a cert revoked only after revocation', () => {
    const engine = mountEngine({ default_user_profile: true });
    const keep = engine.signUserCert(admin, { publicKey: keys['ed25519'] ?? '' });
    const revoke = engine.signUserCert(admin, { publicKey: keys['ecdsa256'] ?? '' });
    const keepFile = join(dir, 'keep-cert.pub');
    const revokeFile = join(dir, 'revoke-cert.pub');
    writeFileSync(keepFile, keep.certificate + '\n');
    writeFileSync(revokeFile, revoke.certificate + '\n');
    const krlFile = join(dir, 'krl');
    const query = (file: string) => {
      writeFileSync(krlFile, engine.krl().krl);
      return run(['-Q', '-f', krlFile, file]);
    };

    const before = query(revokeFile);
    assert.equal(before.status, 0, before.stderr);
    assert.match(before.stdout, /: ok$/m);

    engine.revoke(admin, revoke.serial);
    const afterRevoke = query(revokeFile);
    assert.equal(afterRevoke.status, 1);
    assert.match(afterRevoke.stdout, /REVOKED/);
    assert.equal(query(keepFile).status, 0, 'other certs stay valid');

    const listing = run(['-Q', '-l', '-f', krlFile]);
    assert.equal(listing.status, 0, listing.stderr);
    assert.match(listing.stdout, /KRL version 2/);
    assert.match(listing.stdout, new RegExp(`serial: ${revoke.serial}\\n`));
  });
});
