// The `mcias` binary as an operator runs it: init on a fresh data directory (password from a
// 0600 file, refused the second time), status --json, snapshot; then a server on the same data
// accepts the admin that init created. Runs the compiled CLI (dist) or, from source, the .ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { extractArchive } from '@metacircular/mcdsl';
import { createTestPKI, type TestPKI } from '@metacircular/mcdsl/testing';
import { startTestMcias } from '../src/testing.js';

const compiled = fileURLToPath(new URL('../src/cli/mcias.js', import.meta.url));
const source = fileURLToPath(new URL('../src/cli/mcias.ts', import.meta.url));

function mcias(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const argv = existsSync(compiled) ? [compiled, ...args] : ['--import', 'tsx', source, ...args];
  const res = spawnSync(process.execPath, argv, {
    encoding: 'utf8',
    input,
    env: { ...process.env, MCIAS_MASTER_PASSPHRASE: '' },
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe('mcias CLI', () => {
  let dir: string;
  let pki: TestPKI;
  let config: string;
  const password = 'root-password-' + randomBytes(6).toString('hex');

  before(async () => {
    pki = await createTestPKI();
    dir = await mkdtemp(join(tmpdir(), 'mcias-cli-'));
    await writeFile(join(dir, 'master.key'), randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
    config = join(dir, 'mcias.toml');
    await writeFile(
      config,
      [
        '[server]',
        'listen_addr = "127.0.0.1:0"',
        `tls_cert = "${pki.certPath}"`,
        `tls_key = "${pki.keyPath}"`,
        '[database]',
        `path = "${join(dir, 'mcias.db')}"`,
        '[tokens]',
        'issuer = "https://mcias.test"',
        '[master_key]',
        `keyfile = "${join(dir, 'master.key')}"`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await pki?.cleanup();
  });

  it('init refuses a weak password and a loose password file, and changes nothing', async () => {
    const weak = join(dir, 'weak');
    await writeFile(weak, 'short\n', { mode: 0o600 });
    const res = mcias(['init', '--config', config, '--username', 'root', '--password-file', weak]);
    assert.equal(res.status, 1);
    assert.match(res.stderr, /at least 12 characters/);
    const loose = join(dir, 'loose');
    await writeFile(loose, password + '\n', { mode: 0o644 });
    assert.match(mcias(['init', '--config', config, '--password-file', loose]).stderr, /chmod 600/);
    const status = JSON.parse(mcias(['status', '--config', config, '--json']).stdout) as { vault: { initialized: boolean } };
    assert.equal(status.vault.initialized, false);
  });

  it('init creates the first admin from --password-file, and refuses to run twice', async () => {
    const file = join(dir, 'pw');
    await writeFile(file, password + '\n', { mode: 0o600 });
    const first = mcias(['init', '--config', config, '--username', 'root', '--password-file', file]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^created admin root \([0-9a-f-]{36}\)\n$/);
    const second = mcias(['init', '--config', config, '--username', 'other', '--password-stdin'], 'another-password-1\n');
    assert.equal(second.status, 1);
    assert.match(second.stderr, /already exists; nothing changed/);
  });

  it('status --json reports the data set', () => {
    const res = mcias(['status', '--config', config, '--json']);
    assert.equal(res.status, 0, res.stderr);
    const report = JSON.parse(res.stdout) as {
      schema_current: boolean;
      vault: { initialized: boolean; key_source: string };
      accounts: { total: number; admins: string[] };
    };
    assert.equal(report.schema_current, true);
    assert.deepEqual(report.vault, { initialized: true, key_source: 'keyfile' });
    assert.deepEqual(report.accounts.admins, ['root']);
    assert.match(mcias(['status', '--config', config]).stdout, /admins:\s+root/);
  });

  it('a server on the same data accepts the admin init created', async () => {
    const m = await startTestMcias({ dir, pki, admin: { username: 'root', password } });
    try {
      assert.equal((await m.request('POST', '/v1/auth/login', { body: { username: 'root', password } })).status, 200);
    } finally {
      await m.stop();
    }
  });

  it('snapshot writes an archive with the database and without the master key', async () => {
    const out = join(dir, 'backups', 'snap.tar.zst');
    const res = mcias(['snapshot', '--config', config, '--out', out]);
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout.trim(), out);
    const restored = join(dir, 'restored');
    const { entries } = await extractArchive(out, restored);
    assert.ok(entries.includes('mcias.db'));
    assert.ok(!entries.includes('master.key'));
    assert.ok(entries.includes('mcias.toml'));
  });
});
