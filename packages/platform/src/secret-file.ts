import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write.js';
import type { PlatformLayout } from './platform-layout.js';

/** adminUsername is the account `mc up` provisions for the operator in MCIAS. */
export const adminUsername = 'admin';

/** AdminCredentials say who the admin is and where the password is; never the password. */
export interface AdminCredentials {
  readonly username: string;
  readonly passwordFile: string;
}

/** writeSecretFile writes `data` readable and writable by the owner only (0600), atomically. */
export function writeSecretFile(path: string, data: string): void {
  writeFileAtomic(path, data, 0o600);
}

/**
 * createSecretFileOnce writes `data` to `path` (0600) only if no file is there, and says whether
 * it did. For secrets that must never be replaced, such as a key that opens a vault: the data
 * goes to a temporary sibling that is then hard-linked to `path`, which fails if `path` exists,
 * so even two racing runs cannot overwrite each other and nobody sees a half-written file.
 */
export function createSecretFileOnce(path: string, data: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
  try {
    chmodSync(tmp, 0o600);
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    chmodSync(path, 0o600);
    return false;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** readSecretFile reads a secret file, first tightening it back to 0600 if it was loosened. */
export function readSecretFile(path: string): string {
  chmodSync(path, 0o600);
  return readFileSync(path, 'utf8');
}

/**
 * ensureAdminPassword generates the admin password once (24 random bytes, base64url) into
 * `secrets/admin.password` and keeps it on every later run, so the admin account MCIAS creates
 * from it stays usable across restarts.
 */
export function ensureAdminPassword(layout: PlatformLayout): AdminCredentials {
  try {
    if (readSecretFile(layout.adminPassword).trim().length > 0) {
      return { username: adminUsername, passwordFile: layout.adminPassword };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  writeSecretFile(layout.adminPassword, randomBytes(24).toString('base64url') + '\n');
  return { username: adminUsername, passwordFile: layout.adminPassword };
}
