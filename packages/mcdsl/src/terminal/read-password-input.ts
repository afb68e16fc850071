import { readFile, stat } from 'node:fs/promises';
import { InvalidRequestError } from '../errors/index.js';

/**
 * The non-interactive ways to give a CLI a password (for scripts and automation), so that it
 * never has to come from argv, where every user on the machine can read it in `ps`.
 */

/**
 * readPasswordFromStdin reads all of standard input and strips one trailing newline (so
 * `echo pw | cmd --password-stdin` works); it refuses a terminal (typing there would echo:
 * drop --password-stdin to be prompted) and an empty password.
 */
export async function readPasswordFromStdin(input: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin): Promise<string> {
  if (input.isTTY === true) {
    throw new InvalidRequestError(
      '--password-stdin needs the password piped in, but standard input is a terminal; drop the flag to be prompted',
      { code: 'ERR_STDIN_IS_TERMINAL' },
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const password = stripOneNewline(Buffer.concat(chunks).toString('utf8'));
  if (password === '') throw new InvalidRequestError('no password on standard input', { code: 'ERR_NO_PASSWORD' });
  return password;
}

/**
 * readPasswordFile reads a password file and strips one trailing newline. A regular file that
 * other users can read or write (any "other" permission bit, e.g. 0644) is refused, as ssh
 * refuses loose private keys; group access is allowed for service groups. Pipes such as
 * `--password-file <(pass show x)` are read as they are.
 */
export async function readPasswordFile(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new InvalidRequestError(
      `password file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`,
      {
        code: 'ERR_PASSWORD_FILE',
        cause: err,
      },
    );
  }
  if (info.isDirectory()) {
    throw new InvalidRequestError(`password file ${path} is a directory`, { code: 'ERR_PASSWORD_FILE' });
  }
  if (info.isFile() && (info.mode & 0o007) !== 0) {
    throw new InvalidRequestError(
      `password file ${path} is accessible by other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}); run chmod 600 on it`,
      { code: 'ERR_PASSWORD_FILE_MODE' },
    );
  }
  const password = stripOneNewline(await readFile(path, 'utf8'));
  if (password === '') throw new InvalidRequestError(`password file ${path} is empty`, { code: 'ERR_NO_PASSWORD' });
  return password;
}

function stripOneNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}
