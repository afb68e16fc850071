import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArchive, extractArchive } from '../src/archive/index.js';
import { openDatabase } from '../src/db/index.js';

// Our tar.zst must be an ordinary one: GNU tar and the zstd program read what we write, and
// we read what they write.

function tool(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args).status === 0;
}
const missing = [
  tool('zstd', ['--version']) ? undefined : 'zstd',
  tool('tar', ['--zstd', '--version']) ? undefined : 'GNU tar with --zstd',
].filter((name) => name !== undefined);
if (missing.length > 0 && process.env.MC_REQUIRE_INTEROP === '1')
  throw new Error(`MC_REQUIRE_INTEROP=1 but missing: ${missing.join(', ')}`);
const skip = missing.length === 0 ? false : `missing ${missing.join(', ')} (apt-get install tar zstd)`;
if (skip !== false) console.log(`skipping archive interop tests: ${skip}`);

function run(cmd: string, args: string[]): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(result.status, 0, `${cmd} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

let sandbox: string;
let dataDir: string;
before(() => {
  sandbox = mkdtempSync(join(tmpdir(), 'mcdsl-archive-interop-'));
  dataDir = join(sandbox, 'data');
  mkdirSync(join(dataDir, 'certs'), { recursive: true });
  writeFileSync(join(dataDir, 'svc.toml'), 'x = 1\n');
  writeFileSync(join(dataDir, 'certs', 'key.pem'), 'KEY');
  chmodSync(join(dataDir, 'certs', 'key.pem'), 0o600);
  const longName = `${'n'.repeat(120)}/${'f'.repeat(120)}.txt`; // past ustar's 100-byte name field
  mkdirSync(join(dataDir, 'n'.repeat(120)));
  writeFileSync(join(dataDir, longName), 'long');
});
after(() => rmSync(sandbox, { recursive: true, force: true }));

describe('archive interop with GNU tar and zstd', { skip }, () => {
  it('writes archives that zstd -t, tar --zstd -t and tar --zstd -x accept', async () => {
    const db = openDatabase(join(dataDir, 'svc.db'));
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES ('from-db')");
    const out = join(sandbox, 'svc.tar.zst');
    try {
      await createArchive({ dir: dataDir, service: 'svc', db, out });
    } finally {
      db.close();
    }
    run('zstd', ['-q', '-t', out]);
    const listed = run('tar', ['--zstd', '-tf', out])
      .split('\n')
      .filter(Boolean)
      .map((name) => name.replace(/\/$/, ''));
    assert.deepEqual(
      listed.sort(),
      ['certs', 'certs/key.pem', 'n'.repeat(120), `${'n'.repeat(120)}/${'f'.repeat(120)}.txt`, 'svc.db', 'svc.toml'].sort(),
    );

    const extracted = join(sandbox, 'by-gnu-tar');
    mkdirSync(extracted);
    run('tar', ['--zstd', '-xf', out, '-C', extracted]);
    assert.equal(readFileSync(join(extracted, 'svc.toml'), 'utf8'), 'x = 1\n');
    assert.equal(statSync(join(extracted, 'certs', 'key.pem')).mode & 0o777, 0o600);
    const copy = openDatabase(join(extracted, 'svc.db'));
    try {
      assert.equal(copy.prepare('SELECT x FROM t').pluck().get(), 'from-db');
    } finally {
      copy.close();
    }
  });

  it('reads archives written by tar --zstd', async () => {
    const out = join(sandbox, 'gnu.tar.zst');
    run('tar', ['--zstd', '-cf', out, '-C', dataDir, '--exclude=*.db*', '.']);
    const dest = join(sandbox, 'by-us');
    const { entries } = await extractArchive(out, dest);
    assert.ok(entries.includes('svc.toml'), String(entries));
    assert.equal(readFileSync(join(dest, 'certs', 'key.pem'), 'utf8'), 'KEY');
    assert.equal(statSync(join(dest, 'certs', 'key.pem')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(dest, 'n'.repeat(120), `${'f'.repeat(120)}.txt`), 'utf8'), 'long');
  });
});
