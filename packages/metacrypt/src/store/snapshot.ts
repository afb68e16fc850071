import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotDatabase, type SqliteDatabase } from '@metacircular/mcdsl';

const snapshotName = /^metacrypt-\d{8}T\d{6}Z\.db$/;

/**
 * writeSnapshot copies the live database to `backupsDir/metacrypt-<UTC timestamp>.db` with
 * VACUUM INTO (spec §15) and prunes older snapshots beyond `keep`. The copy holds only
 * ciphertext, the seal row and the audit log, so it is safe to store like the database itself.
 */
export function writeSnapshot(db: SqliteDatabase, backupsDir: string, now: Date, keep = 7): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const path = join(backupsDir, `metacrypt-${stamp}.db`);
  snapshotDatabase(db, path);
  pruneSnapshots(backupsDir, keep);
  return path;
}

/** pruneSnapshots keeps the newest `keep` snapshots in backupsDir and deletes the rest. */
export function pruneSnapshots(backupsDir: string, keep: number): string[] {
  if (keep <= 0) return [];
  const names = readdirSync(backupsDir)
    .filter((n) => snapshotName.test(n))
    .sort()
    .reverse();
  const removed = names.slice(keep);
  for (const name of removed) rmSync(join(backupsDir, name), { force: true });
  return removed;
}
