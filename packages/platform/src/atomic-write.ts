import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * writeFileAtomic replaces `path` with `data` so that readers see the old file or the new one,
 * never half of either: it writes a temporary sibling, fixes its mode (the umask would
 * otherwise weaken it), then renames it over the target. Synchronous on purpose: the files it
 * writes are small, and a supervisor that writes state from event handlers must not interleave
 * two writes of the same file.
 */
export function writeFileAtomic(path: string, data: string, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data, { mode, flag: 'wx' });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
