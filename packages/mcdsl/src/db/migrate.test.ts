import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McError } from '../errors/index.js';
import type { Migration } from './index.js';
import { migrate, openDatabase, schemaVersion } from './index.js';

const migrations: Migration[] = [
  { version: 1, name: 'accounts', up: 'CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY, name TEXT UNIQUE)' },
  {
    version: 2,
    name: 'seed admin',
    up: (db) => {
      db.prepare("INSERT OR IGNORE INTO accounts (name) VALUES ('admin')").run();
    },
  },
  {
    version: 3,
    name: 'tokens',
    up: 'CREATE TABLE IF NOT EXISTS tokens (jti TEXT PRIMARY KEY, account INTEGER REFERENCES accounts(id))',
  },
];

let dir: string;
let n = 0;
const freshPath = (): string => join(dir, `m${++n}.db`);
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcdsl-migrate-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof McError, String(err));
    return err.code;
  }
  return assert.fail('expected an error');
}

describe('migrate', () => {
  it('applies all migrations once, recorded, and nothing again across restarts', () => {
    const path = freshPath();
    let db = openDatabase(path);
    assert.equal(schemaVersion(db), 0);
    assert.deepEqual(migrate(db, migrations.slice(0, 2)), [1, 2]);
    assert.equal(schemaVersion(db), 2);
    db.close();

    // A restart with a newer release applies only what is new.
    db = openDatabase(path);
    assert.deepEqual(migrate(db, migrations), [3]);
    db.close();

    db = openDatabase(path);
    assert.deepEqual(migrate(db, migrations), []);
    assert.equal(schemaVersion(db), 3);
    const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all() as {
      version: number;
      name: string;
      applied_at: string;
    }[];
    assert.deepEqual(
      rows.map((r) => [r.version, r.name]),
      [
        [1, 'accounts'],
        [2, 'seed admin'],
        [3, 'tokens'],
      ],
    );
    for (const r of rows) assert.ok(!Number.isNaN(Date.parse(r.applied_at)), r.applied_at);
    assert.equal(db.prepare('SELECT COUNT(*) FROM accounts').pluck().get(), 1);
    db.close();
  });

  it('rolls a failing migration back whole and leaves the version unchanged', () => {
    const db = openDatabase(freshPath());
    try {
      migrate(db, migrations);
      const broken: Migration = {
        version: 4,
        name: 'half done',
        up: "CREATE TABLE audit (id INTEGER PRIMARY KEY); INSERT INTO accounts (name) VALUES ('x'); INSERT INTO nope VALUES (1);",
      };
      const err = (() => {
        try {
          migrate(db, [...migrations, broken]);
        } catch (e) {
          return e as McError;
        }
        return assert.fail('expected the migration to fail');
      })();
      assert.equal(err.code, 'ERR_MIGRATION_FAILED');
      assert.match(err.message, /^migration 4 \(half done\) failed: no such table: nope/);
      assert.equal(schemaVersion(db), 3);
      assert.equal(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'audit'").pluck().get(), 0);
      assert.equal(db.prepare('SELECT COUNT(*) FROM accounts').pluck().get(), 1);
      // A fixed migration 4 then applies normally.
      assert.deepEqual(migrate(db, [...migrations, { ...broken, up: 'CREATE TABLE audit (id INTEGER PRIMARY KEY)' }]), [4]);
    } finally {
      db.close();
    }
  });

  it('rolls back a failing function migration too', () => {
    const db = openDatabase(freshPath());
    try {
      migrate(db, migrations);
      const code = errorCode(() =>
        migrate(db, [
          ...migrations,
          {
            version: 4,
            name: 'throws',
            up: (conn) => {
              conn.exec("INSERT INTO accounts (name) VALUES ('y')");
              throw new Error('boom');
            },
          },
        ]),
      );
      assert.equal(code, 'ERR_MIGRATION_FAILED');
      assert.equal(schemaVersion(db), 3);
      assert.equal(db.prepare("SELECT COUNT(*) FROM accounts WHERE name = 'y'").pluck().get(), 0);
    } finally {
      db.close();
    }
  });

  it('refuses versions that do not strictly increase, before touching the database', () => {
    const db = openDatabase(freshPath());
    try {
      const dup = [migrations[0], { ...migrations[1], version: 1 }] as Migration[];
      assert.equal(
        errorCode(() => migrate(db, dup)),
        'ERR_MIGRATION_ORDER',
      );
      assert.equal(
        errorCode(() => migrate(db, [migrations[1], migrations[0]] as Migration[])),
        'ERR_MIGRATION_ORDER',
      );
      assert.equal(
        errorCode(() => migrate(db, [{ version: 0, name: 'zero', up: '' }])),
        'ERR_MIGRATION_ORDER',
      );
      assert.equal(
        errorCode(() => migrate(db, [{ version: 1.5, name: 'frac', up: '' }])),
        'ERR_MIGRATION_ORDER',
      );
      assert.equal(schemaVersion(db), 0);
    } finally {
      db.close();
    }
  });

  it('refuses a database newer than the code', () => {
    const db = openDatabase(freshPath());
    try {
      migrate(db, migrations);
      let message = '';
      try {
        migrate(db, migrations.slice(0, 2));
      } catch (err) {
        assert.ok(err instanceof McError);
        assert.equal(err.code, 'ERR_SCHEMA_TOO_NEW');
        assert.equal(err.category, 'precondition_failed');
        message = err.message;
      }
      assert.match(message, /database schema version 3 is newer than this program knows \(2\)/);
    } finally {
      db.close();
    }
  });

  it('refuses a migration inserted below the applied version', () => {
    const db = openDatabase(freshPath());
    try {
      migrate(db, [migrations[0], { ...migrations[2], version: 5 }] as Migration[]);
      const inserted = [migrations[0], { version: 3, name: 'late', up: '' }, { ...migrations[2], version: 5 }] as Migration[];
      assert.equal(
        errorCode(() => migrate(db, inserted)),
        'ERR_MIGRATION_ORDER',
      );
      assert.equal(schemaVersion(db), 5);
    } finally {
      db.close();
    }
  });
});
