import { chmodSync, closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConflictError } from '../errors/index.js';
import type { SqliteDatabase } from './open-database.js';

/**
 * snapshotDatabase writes a consistent copy of a live database to destPath with `VACUUM INTO`,
 * which reads inside one read transaction: in WAL mode other connections keep writing while it
 * runs, and the copy is the database as of one commit, compacted and without a -wal file.
 *
 * The destination must not exist (ConflictError otherwise): it is created empty with mode 0600
 * first (O_EXCL, so no race), which SQLite accepts for VACUUM INTO, so the copy is never
 * readable by others. A failed snapshot removes the partial file.
 */
export function snapshotDatabase(db: SqliteDatabase, destPath: string): void {
  mkdirSync(dirname(destPath), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(destPath, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ConflictError(`snapshot ${destPath} already exists; choose a new file name`, {
        code: 'ERR_SNAPSHOT_EXISTS',
        cause: err,
      });
    }
    throw err;
  }
  closeSync(fd);
  try {
    db.prepare('VACUUM INTO ?').run(destPath);
  } catch (err) {
    rmSync(destPath, { force: true });
    throw err;
  }
  try {
    chmodSync(destPath, 0o600);
  } catch {
    // Best-effort, as for the database itself: the file was created 0600.
  }
}
