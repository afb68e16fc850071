import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createArchive, openDatabase, PreconditionError, snapshotDatabase } from '@metacircular/mcdsl';
import { loadMcnsConfig, serviceName } from '../config.js';

/**
 * runSnapshotCommand writes a consistent copy of the live database with VACUUM INTO (spec
 * 2.12), by default to `<data dir>/backups/mcns-<UTC time>.db`; with `archive` it writes a
 * tar.zst of the whole data directory instead (config, certificates and that copy), the
 * platform's standard snapshot. The server may keep running meanwhile. Prints the file written.
 */
export async function runSnapshotCommand(
  opts: { config: string; out?: string; archive?: boolean },
  out: NodeJS.WritableStream = process.stdout,
  now: Date = new Date(),
): Promise<string> {
  const config = loadMcnsConfig(opts.config);
  const path = resolve(config.database.path);
  if (!existsSync(path)) {
    throw new PreconditionError(`database ${path} does not exist; start the server once (mcns server) to create it`);
  }
  const dir = dirname(path);
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const file = resolve(opts.out ?? join(dir, 'backups', `${serviceName}-${stamp}.${opts.archive ? 'tar.zst' : 'db'}`));
  const db = openDatabase(path);
  try {
    if (opts.archive) {
      await createArchive({ dir, service: serviceName, db, out: file });
    } else {
      snapshotDatabase(db, file);
    }
  } finally {
    db.close();
  }
  out.write(`${file}\n`);
  return file;
}
