import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { createArchive } from '@metacircular/mcdsl';
import { openData } from './open-data.js';

/**
 * runSnapshotCommand writes the data directory (the database's directory) as a tar.zst with a
 * consistent VACUUM INTO copy of the database. The master key file (when it sits in the data
 * directory) and the `env` file holding the passphrase are left out: a backup must not carry
 * the key that opens its own secrets. Prints the archive's path.
 */
export async function runSnapshotCommand(
  opts: { config: string; out?: string },
  out: NodeJS.WritableStream = process.stdout,
  now: Date = new Date(),
): Promise<string> {
  const { config, db } = openData(opts.config);
  try {
    const dir = dirname(resolve(config.database.path));
    const stamp = now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const file = resolve(opts.out ?? join(dir, 'backups', `mcias-${stamp}.tar.zst`));
    const exclude = ['/env'];
    if (config.master_key.kind === 'keyfile') {
      const rel = relative(dir, resolve(config.master_key.keyfile));
      if (!rel.startsWith('..') && !isAbsolute(rel)) exclude.push(`/${rel}`);
    }
    const summary = await createArchive({ dir, service: 'mcias', db, out: file, exclude });
    out.write(`${summary.out}\n`);
    return summary.out;
  } finally {
    db.close();
  }
}
