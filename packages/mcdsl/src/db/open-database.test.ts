import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './index.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcdsl-db-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('sets the standard pragmas', () => {
    const db = openDatabase(join(dir, 'pragmas.db'));
    try {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
      assert.equal(db.pragma('synchronous', { simple: true }), 1); // NORMAL
      db.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (p INTEGER REFERENCES parent(id))');
      assert.throws(() => db.prepare('INSERT INTO child (p) VALUES (42)').run(), /FOREIGN KEY constraint failed/);
    } finally {
      db.close();
    }
  });

  it('creates missing parent directories 0700 and the file, -wal and -shm 0600', () => {
    const path = join(dir, 'nested', 'deeper', 'svc.db');
    const db = openDatabase(path);
    try {
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      assert.equal(statSync(join(dir, 'nested')).mode & 0o777, 0o700);
      assert.equal(statSync(join(dir, 'nested', 'deeper')).mode & 0o777, 0o700);
      for (const file of [path, `${path}-wal`, `${path}-shm`]) {
        assert.ok(existsSync(file), file);
        assert.equal(statSync(file).mode & 0o777, 0o600, file);
      }
    } finally {
      db.close();
    }
  });

  it('tightens the mode of an existing database file', async () => {
    const path = join(dir, 'loose.db');
    openDatabase(path).close();
    const { chmodSync } = await import('node:fs');
    chmodSync(path, 0o644);
    openDatabase(path).close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  it('opens an in-memory database for tests', () => {
    const db = openDatabase(':memory:');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    db.close();
  });
});
