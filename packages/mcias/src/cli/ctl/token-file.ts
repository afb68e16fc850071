import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InvalidRequestError } from '@metacircular/mcdsl';

/**
 * Where mciasctl keeps the token `login` obtained: a file only its owner can read, by default
 * $XDG_CONFIG_HOME/mciasctl/token (~/.config/mciasctl/token). A token never travels in argv.
 */

/** defaultTokenFile is the token file used when neither --token-file nor MCIAS_TOKEN_FILE is given. */
export function defaultTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(configHome, 'mciasctl', 'token');
}

/**
 * readTokenFile returns the token in a file, or undefined when the file does not exist. A file
 * other users can access is refused (as ssh refuses a loose private key).
 */
export async function readTokenFile(path: string): Promise<string | undefined> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (info.isFile() && (info.mode & 0o077) !== 0) {
    throw new InvalidRequestError(
      `token file ${path} is readable by other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}); run chmod 600 on it`,
      { code: 'ERR_TOKEN_FILE_MODE' },
    );
  }
  const token = (await readFile(path, 'utf8')).trim();
  if (token === '') throw new InvalidRequestError(`token file ${path} is empty; run \`mciasctl login <username>\``);
  return token;
}

/**
 * writeTokenFile stores a token with mode 0600, creating the directory (0700) if needed. It
 * writes a temporary file beside the target and renames it, so a reader never sees half a
 * token and an existing file's looser mode is not inherited.
 */
export async function writeTokenFile(path: string, token: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${token}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** removeTokenFile deletes a token file; a missing file is fine. */
export async function removeTokenFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
