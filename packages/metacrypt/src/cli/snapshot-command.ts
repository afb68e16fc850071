import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDatabase } from '@metacircular/mcdsl';
import { loadMetacryptConfig } from '../config.js';
import { writeSnapshot } from '../store/index.js';

/**
 * runSnapshotCommand writes `<data dir>/backups/metacrypt-<UTC time>.db` with VACUUM INTO
 * (safe while the server runs: WAL lets it read one consistent commit) and keeps the newest
 * `keep` snapshots. It needs no password: the copy holds ciphertext only.
 */
export function runSnapshotCommand(
  opts: { config: string; keep: string; out?: string },
  out: NodeJS.WritableStream = process.stdout,
): void {
  const config = loadMetacryptConfig(opts.config);
  const keep = Number(opts.keep);
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`--keep ${opts.keep} must be a whole number of at least 1`);
  if (!existsSync(config.database.path)) throw new Error(`database ${config.database.path} does not exist`);
  const backups = opts.out ?? join(dirname(config.database.path), 'backups');
  const db = openDatabase(config.database.path);
  try {
    out.write(`${writeSnapshot(db, backups, new Date(), keep)}\n`);
  } finally {
    db.close();
  }
}
