import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { hashRaw } from '@node-rs/argon2';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { argon2id } from '../argon2id.js';

/** masterKeyBytes is the size of the AES-256 master key. */
export const masterKeyBytes = 32;

/** MasterKdf is the Argon2id cost of deriving the master key from a passphrase. */
export interface MasterKdf {
  readonly time: number;
  /** KiB */
  readonly memory: number;
  readonly threads: number;
}

/** masterKdf is the spec's cost for new vaults (1.4): Argon2id t=3, 128 MiB, p=4. */
export const masterKdf: MasterKdf = Object.freeze({ time: 3, memory: 131072, threads: 4 });

/** newKdfSalt returns a fresh 16-byte salt for a new vault. */
export function newKdfSalt(): Buffer {
  return randomBytes(16);
}

/**
 * deriveMasterKey stretches a passphrase into the 32-byte master key with Argon2id. It runs on
 * libuv's thread pool, so the event loop keeps serving (health, vault status) meanwhile. The
 * cost comes from the vault's stored metadata, so raising masterKdf later does not lock out
 * existing vaults.
 */
export async function deriveMasterKey(passphrase: string, salt: Buffer, kdf: MasterKdf): Promise<Buffer> {
  if (passphrase === '') throw new InvalidRequestError('passphrase is empty', { code: 'ERR_EMPTY_PASSPHRASE' });
  return hashRaw(passphrase, {
    algorithm: argon2id,
    salt,
    timeCost: kdf.time,
    memoryCost: kdf.memory,
    parallelism: kdf.threads,
    outputLen: masterKeyBytes,
  });
}

/**
 * readMasterKeyFile reads `[master_key] keyfile`: exactly 32 raw bytes, or 64 hex digits with an
 * optional trailing newline (easier to make with `openssl rand -hex 32`). A file that other users
 * can read is refused, as ssh refuses loose private keys.
 */
export async function readMasterKeyFile(path: string): Promise<Buffer> {
  const bad = (why: string, cause?: unknown) =>
    new InvalidRequestError(`[master_key] keyfile ${path}: ${why}`, { code: 'ERR_KEYFILE', cause });
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw bad(
      code === 'ENOENT' ? 'not found; create it with `openssl rand -hex 32 > FILE` and chmod 600' : 'cannot be read',
      err,
    );
  }
  if (!info.isFile()) throw bad('is not a regular file');
  if ((info.mode & 0o007) !== 0)
    throw bad(`is accessible by other users (mode ${(info.mode & 0o777).toString(8)}); run chmod 600 on it`);
  const content = await readFile(path).catch((err: unknown) => {
    throw bad('cannot be read', err);
  });
  if (content.length === masterKeyBytes) return content;
  const text = content.toString('latin1').replace(/\r?\n$/, '');
  content.fill(0);
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  throw bad('must hold exactly 32 raw bytes or 64 hex digits');
}
