import { InvalidRequestError, readPassword, readPasswordFile, readPasswordFromStdin } from '@metacircular/mcdsl';

/**
 * How mciasctl reads a password or passphrase: piped on stdin (`--password-stdin`), from a
 * file only its owner can read (`--password-file`), or typed at a prompt with echo off. Never
 * from argv, where every user on the machine can see it in `ps`.
 */

/** SecretSource is the pair of options a command offers for one secret. */
export interface SecretSource {
  /** read the whole of stdin */
  readonly stdin?: boolean;
  /** read this file */
  readonly file?: string;
}

/**
 * readSecret returns the secret from the source the user picked, else prompts. With `confirm`
 * (a new password) the prompt asks twice and refuses a mismatch.
 */
export async function readSecret(
  source: SecretSource,
  prompt: { label: string; confirm?: boolean; flags: { stdin: string; file: string } },
): Promise<string> {
  if (source.stdin === true && source.file !== undefined) {
    throw new InvalidRequestError(`give either ${prompt.flags.stdin} or ${prompt.flags.file}, not both`);
  }
  if (source.stdin === true) return readPasswordFromStdin();
  if (source.file !== undefined) return readPasswordFile(source.file);
  if (!process.stdin.isTTY) {
    throw new InvalidRequestError(
      `cannot prompt for the ${prompt.label.toLowerCase()}: standard input is not a terminal; use ${prompt.flags.stdin} or ${prompt.flags.file}`,
      { code: 'ERR_NOT_A_TERMINAL' },
    );
  }
  const first = await promptSecret(`${prompt.label}: `);
  if (prompt.confirm === true) {
    const again = await promptSecret(`${prompt.label} (again): `);
    if (again !== first) throw new InvalidRequestError(`the two ${prompt.label.toLowerCase()}s differ; nothing was changed`);
  }
  return first;
}

/**
 * promptSecret is mcdsl's readPassword followed by pausing stdin: readPassword leaves a stdin
 * it found in its initial state flowing, and a flowing terminal keeps the process from exiting.
 */
export async function promptSecret(prompt: string): Promise<string> {
  try {
    return await readPassword(prompt);
  } finally {
    process.stdin.pause();
  }
}

/** passwordFlags are the option names of a command's password. */
export const passwordFlags = { stdin: '--password-stdin', file: '--password-file' } as const;

/** passphraseFlags are the option names of the vault passphrase. */
export const passphraseFlags = { stdin: '--passphrase-stdin', file: '--passphrase-file' } as const;
