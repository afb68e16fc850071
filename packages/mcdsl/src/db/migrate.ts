import { McError, PreconditionError } from '../errors/index.js';
import type { SqliteDatabase } from './open-database.js';

/**
 * Migrations are numbered, append-only and never edited after they ship. Each runs in its own
 * transaction together with its row in `schema_migrations`, so a failing migration leaves the
 * database exactly at the previous version. Write them idempotently anyway (`CREATE TABLE IF
 * NOT EXISTS`, seed rows with `INSERT OR IGNORE`). Statements SQLite refuses inside a
 * transaction (VACUUM, PRAGMA foreign_keys) do not belong in a migration.
 */

/** Migration is one numbered schema change; `up` is SQL or a function given the connection. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: string | ((db: SqliteDatabase) => void);
}

const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/**
 * migrate brings the database up to the newest migration and returns the versions it applied
 * (none when it is already current). Before touching anything it checks, in order:
 *
 *   1. versions are positive integers in strictly increasing order (a code bug otherwise);
 *   2. the database is not newer than the code (a downgrade: refuse rather than run old code
 *      against a schema it does not know);
 *   3. no migration below the database's version is missing from its record (one was inserted
 *      instead of appended).
 */
export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): number[] {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.version) || m.version <= previous) {
      throw new McError(
        'internal',
        'ERR_MIGRATION_ORDER',
        `migration ${m.version} (${m.name}) must have an integer version greater than ${previous}`,
      );
    }
    previous = m.version;
  }
  db.exec(createTable);
  const recorded = new Set((db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]).map(Number));
  const current = Math.max(0, ...recorded);
  if (current > previous) {
    throw new PreconditionError(
      `database schema version ${current} is newer than this program knows (${previous}); ` +
        'run a newer release or restore a backup made by this one',
      { code: 'ERR_SCHEMA_TOO_NEW' },
    );
  }
  const inserted = migrations.find((m) => m.version < current && !recorded.has(m.version));
  if (inserted !== undefined) {
    throw new McError(
      'internal',
      'ERR_MIGRATION_ORDER',
      `migration ${inserted.version} (${inserted.name}) is older than the database's version ${current} but was never applied; append new migrations, never insert them`,
    );
  }
  const isRecorded = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of migrations) {
    if (recorded.has(m.version)) continue;
    // Checked again under the write lock: another process may have just applied it.
    const apply = db.transaction((): boolean => {
      if (isRecorded.get(m.version) !== undefined) return false;
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      record.run(m.version, m.name, new Date().toISOString());
      return true;
    });
    try {
      if (!apply.immediate()) continue;
    } catch (err) {
      throw new McError(
        'internal',
        'ERR_MIGRATION_FAILED',
        `migration ${m.version} (${m.name}) failed: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
    applied.push(m.version);
  }
  return applied;
}

/** schemaVersion is the highest applied migration, or 0 for a database never migrated. */
export function schemaVersion(db: SqliteDatabase): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) return 0;
  const version = db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get();
  return typeof version === 'number' ? version : 0;
}
