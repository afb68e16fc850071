import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConflictError } from '../errors/index.js';
import { openDatabase, snapshotDatabase } from './index.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcdsl-snapshot-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('snapshotDatabase', () => {
  it('writes a 0600 copy with the data, creating the backups directory', () => {
    const db = openDatabase(join(dir, 'svc.db'));
    try {
      db.exec("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('one'), ('two')");
      const dest = join(dir, 'backups', 'svc-1.db');
      snapshotDatabase(db, dest);
      assert.equal(statSync(dest).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'backups')).mode & 0o777, 0o700);
      assert.ok(!existsSync(`${dest}-wal`));
      const copy = new Database(dest, { readonly: true });
      try {
        assert.deepEqual(copy.prepare('SELECT x FROM t ORDER BY x').pluck().all(), ['one', 'two']);
        assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      } finally {
        copy.close();
      }
    } finally {
      db.close();
    }
  });

  it('refuses to overwrite an existing file and leaves it untouched', () => {
    const db = openDatabase(join(dir, 'svc2.db'));
    try {
      const dest = join(dir, 'taken.db');
      writeFileSync(dest, 'precious');
      assert.throws(
        () => snapshotDatabase(db, dest),
        (err: unknown) => err instanceof ConflictError && err.code === 'ERR_SNAPSHOT_EXISTS' && err.message.includes(dest),
      );
      assert.equal(statSync(dest).size, 'precious'.length);
    } finally {
      db.close();
    }
  });
});
