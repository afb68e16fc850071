/**
 * db: the one way services use SQLite (better-sqlite3, synchronous, one connection).
 *
 * `openDatabase(path)` creates the directory 0700 and the file 0600 and sets the standard
 * pragmas (WAL, foreign keys, busy timeout 5 s, synchronous NORMAL). `migrate(db, migrations)`
 * applies numbered, append-only migrations, each in its own transaction, recorded in
 * `schema_migrations`, and refuses a database newer than the code. `snapshotDatabase(db, dest)`
 * writes a consistent copy with `VACUUM INTO` while the service keeps writing; archive/ builds
 * the service's tar.zst backups on it.
 */
export { openDatabase } from './open-database.js';
export type { SqliteDatabase } from './open-database.js';
export { migrate, schemaVersion } from './migrate.js';
export type { Migration } from './migrate.js';
export { snapshotDatabase } from './snapshot-database.js';
