import { InvalidRequestError, readPassword, readPasswordFile, readPasswordFromStdin } from '@metacircular/mcdsl';

/** PasswordSource are the flags that say where a password comes from (never argv). */
export interface PasswordSource {
  readonly passwordFile?: string;
  readonly passwordStdin?: boolean;
}

/**
 * readUnsealPassword reads the password from --password-file, --password-stdin, or the
 * terminal without echo; with `confirm` the terminal asks twice and refuses a mismatch.
 */
export async function readUnsealPassword(source: PasswordSource, confirm: boolean): Promise<string> {
  if (source.passwordFile && source.passwordStdin) {
    throw new InvalidRequestError('use one of --password-file and --password-stdin, not both');
  }
  if (source.passwordFile) return readPasswordFile(source.passwordFile);
  if (source.passwordStdin) return readPasswordFromStdin();
  const password = await readPassword('unseal password: ');
  if (confirm && (await readPassword('again: ')) !== password) {
    throw new InvalidRequestError('the two passwords differ; nothing was changed');
  }
  return password;
}
