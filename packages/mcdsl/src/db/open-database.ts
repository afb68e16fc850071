import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** SqliteDatabase is the connection type every db function takes (better-sqlite3). */
export type SqliteDatabase = Database.Database;

/**
 * openDatabase opens (creating if needed) a service's SQLite file the one standard way:
 *
 * - the parent directory is created 0700 and the file 0600 before SQLite writes to it, so the
 *   data is never readable by others, even for a moment;
 * - chmod is best-effort afterwards (rootless podman can deny it on bind mounts), also for the
 *   -wal and -shm files, which SQLite creates with the main file's mode;
 * - journal_mode=WAL (readers never block the writer, and VACUUM INTO snapshots run while the
 *   service writes), foreign_keys=ON, busy_timeout=5000, synchronous=NORMAL (durable at
 *   checkpoints, safe against corruption in WAL mode).
 *
 * better-sqlite3 is synchronous with one connection per Database, which is the single-writer
 * model the Go services got from MaxOpenConns=1.
 */
export function openDatabase(path: string): SqliteDatabase {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    chmodBestEffort(path);
  }
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    db.close();
    throw err;
  }
  if (!inMemory) {
    for (const suffix of ['-wal', '-shm']) if (existsSync(path + suffix)) chmodBestEffort(path + suffix);
  }
  return db;
}

function chmodBestEffort(path: string): void {
  try {
    chmodSync(path, 0o600);
  } catch {
    // Best-effort by design: the file was created 0600 when it was ours to create.
  }
}
