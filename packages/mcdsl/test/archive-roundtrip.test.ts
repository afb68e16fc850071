import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  readdirSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createArchive, extractArchive, hasZlibZstd } from '../src/archive/index.js';
import { migrate, openDatabase } from '../src/db/index.js';
import type { SqliteDatabase } from '../src/db/index.js';
import { McError } from '../src/errors/index.js';

const haveZstd = hasZlibZstd() || spawnSync('zstd', ['--version']).status === 0;
if (!haveZstd && process.env.MC_REQUIRE_INTEROP === '1') throw new Error('MC_REQUIRE_INTEROP=1 but zstd is not available');
const skip = haveZstd ? false : 'no zstd: install the zstd package (Node < 22.15 has none in zlib)';

let sandbox: string;
let dataDir: string;
let db: SqliteDatabase;
let socketServer: Server;

before(async () => {
  sandbox = mkdtempSync(join(tmpdir(), 'mcdsl-archive-'));
  dataDir = join(sandbox, 'srv', 'mcr');
  mkdirSync(join(dataDir, 'certs'), { recursive: true });
  mkdirSync(join(dataDir, 'backups'), { recursive: true });
  mkdirSync(join(dataDir, 'cache', 'deep'), { recursive: true });
  writeFileSync(join(dataDir, 'mcr.toml'), '[server]\nlisten_addr = ":8443"\n');
  writeFileSync(join(dataDir, 'certs', 'cert.pem'), 'CERT');
  writeFileSync(join(dataDir, 'certs', 'key.pem'), 'KEY');
  chmodSync(join(dataDir, 'certs', 'key.pem'), 0o600);
  writeFileSync(join(dataDir, 'run.sh'), '#!/bin/sh\n');
  chmodSync(join(dataDir, 'run.sh'), 0o750);
  writeFileSync(join(dataDir, 'backups', 'old.tar.zst'), 'old backup');
  writeFileSync(join(dataDir, 'cache', 'deep', 'blob'), 'cached');
  writeFileSync(join(dataDir, 'notes.tmp'), 'scratch');
  writeFileSync(join(dataDir, 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 7));
  symlinkSync('certs/cert.pem', join(dataDir, 'current.pem'));
  // A runtime socket in the data dir (like mc-proxy's admin socket) is skipped, not archived.
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(dataDir, 'admin.sock'), resolve));

  db = openDatabase(join(dataDir, 'mcr.db'));
  migrate(db, [{ version: 1, name: 'repos', up: 'CREATE TABLE repos (name TEXT PRIMARY KEY, tags INTEGER)' }]);
  const insert = db.prepare('INSERT INTO repos VALUES (?, ?)');
  for (let i = 0; i < 500; i++) insert.run(`repo-${i}`, i);
});

after(async () => {
  db.close();
  await new Promise<void>((resolve) => socketServer.close(() => resolve()));
  rmSync(sandbox, { recursive: true, force: true });
});

describe('createArchive / extractArchive', { skip }, () => {
  it('round-trips the data dir with a working database and without the excluded files', async () => {
    const out = join(sandbox, 'out', 'mcr-1.tar.zst');
    const summary = await createArchive({ dir: dataDir, service: 'mcr', db, out, exclude: ['*.tmp', 'cache/'] });
    assert.equal(statSync(out).mode & 0o777, 0o600);
    assert.equal(summary.entries[0], 'mcr.db');
    assert.deepEqual([...summary.entries].sort(), [
      'big.bin',
      'certs',
      'certs/cert.pem',
      'certs/key.pem',
      'current.pem',
      'mcr.db',
      'mcr.toml',
      'run.sh',
    ]);
    assert.deepEqual(readdirNames(join(sandbox, 'out')), ['mcr-1.tar.zst'], 'no temporary files left beside the output');

    const dest = join(sandbox, 'restored');
    const restored = await extractArchive(out, dest);
    assert.deepEqual([...restored.entries].sort(), [...summary.entries].sort());
    assert.equal(statSync(dest).mode & 0o777, 0o700);
    assert.equal(readFileSync(join(dest, 'mcr.toml'), 'utf8'), '[server]\nlisten_addr = ":8443"\n');
    assert.equal(readFileSync(join(dest, 'certs', 'key.pem'), 'utf8'), 'KEY');
    assert.ok(readFileSync(join(dest, 'big.bin')).equals(Buffer.alloc(3 * 1024 * 1024, 7)));
    assert.equal(statSync(join(dest, 'certs', 'key.pem')).mode & 0o777, 0o600);
    assert.equal(statSync(join(dest, 'run.sh')).mode & 0o777, 0o750);
    assert.equal(statSync(join(dest, 'mcr.db')).mode & 0o777, 0o600);
    assert.ok(lstatSync(join(dest, 'current.pem')).isSymbolicLink());
    assert.equal(readlinkSync(join(dest, 'current.pem')), 'certs/cert.pem');
    for (const absent of ['backups', 'notes.tmp', 'cache', 'admin.sock', 'mcr.db-wal', 'mcr.db-shm']) {
      assert.ok(!existsSync(join(dest, absent)), `${absent} must not be restored`);
    }

    const copy = openDatabase(join(dest, 'mcr.db'));
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(copy.prepare('SELECT COUNT(*) FROM repos').pluck().get(), 500);
      assert.deepEqual(migrate(copy, [{ version: 1, name: 'repos', up: 'SELECT 1' }]), [], 'schema version restored');
    } finally {
      copy.close();
    }
  });

  it('archives without a database when none is given', async () => {
    const out = join(sandbox, 'out', 'nodb.tar.zst');
    const summary = await createArchive({ dir: dataDir, service: 'mcr', out });
    assert.ok(!summary.entries.includes('mcr.db'));
  });

  it('refuses to overwrite an archive, a bad service name, a missing dir and an escaping symlink', async () => {
    const out = join(sandbox, 'out', 'taken.tar.zst');
    writeFileSync(out, 'precious');
    await assert.rejects(createArchive({ dir: dataDir, service: 'mcr', db, out }), codeIs('ERR_ARCHIVE_EXISTS'));
    assert.equal(readFileSync(out, 'utf8'), 'precious');
    await assert.rejects(
      createArchive({ dir: dataDir, service: '../x', out: join(sandbox, 'out', 'a.tar.zst') }),
      /not a plain file name/,
    );
    await assert.rejects(
      createArchive({ dir: join(sandbox, 'nope'), service: 'x', out: join(sandbox, 'out', 'b.tar.zst') }),
      /does not exist/,
    );

    const leaky = join(sandbox, 'leaky');
    mkdirSync(leaky);
    symlinkSync('../srv', join(leaky, 'escape'));
    const leakyOut = join(sandbox, 'out', 'leaky.tar.zst');
    await assert.rejects(createArchive({ dir: leaky, service: 'x', out: leakyOut }), /points outside/);
    assert.ok(!existsSync(leakyOut), 'no partial archive');
    assert.ok(
      readdirNames(join(sandbox, 'out')).every((name) => !name.startsWith('.archive-')),
      'temporary files removed',
    );
  });

  it('skips its own output when written inside the data dir', async () => {
    const out = join(dataDir, 'snapshots', 'self.tar.zst');
    const summary = await createArchive({ dir: dataDir, service: 'mcr', db, out });
    assert.ok(!summary.entries.some((name) => name.startsWith('snapshots/')), String(summary.entries));
    rmSync(join(dataDir, 'snapshots'), { recursive: true });
  });

  it('refuses to restore into a non-empty directory', async () => {
    const out = join(sandbox, 'out', 'mcr-2.tar.zst');
    await createArchive({ dir: dataDir, service: 'mcr', db, out });
    await assert.rejects(extractArchive(out, dataDir), codeIs('ERR_DEST_NOT_EMPTY'));
    assert.ok(existsSync(join(dataDir, 'mcr.toml')), 'existing data untouched');
  });
});

function codeIs(code: string): (err: unknown) => boolean {
  return (err) => err instanceof McError && err.code === code;
}

function readdirNames(dir: string): string[] {
  return readdirSync(dir).sort();
}
