import {
  InvalidRequestError,
  PreconditionError,
  readPassword,
  readPasswordFile,
  readPasswordFromStdin,
} from '@metacircular/mcdsl';
import { validateNewPassword, validateUsername } from '../accounts/index.js';
import { systemActor } from '../audit/index.js';
import { buildCore } from '../build-core.js';
import { systemClock } from '../clock.js';
import { readMasterKeyFile, type MasterSecret } from '../vault/index.js';
import type { MasterKeyConfig } from '../config.js';
import { openData } from './open-data.js';

/** InitOptions are `mcias init`'s flags. */
export interface InitOptions {
  readonly config: string;
  readonly username: string;
  readonly passwordFile?: string;
  readonly passwordStdin?: boolean;
}

/**
 * runInitCommand bootstraps a new MCIAS: it initialises the vault with the configured master key
 * (salt, verifier, a new signing key) and creates the first admin. The password is read without
 * echo from the terminal (asked twice), or from --password-file / --password-stdin, never from
 * argv. When an active admin already exists it changes nothing and returns 1, so running it
 * twice is safe. Returns the exit status.
 */
export async function runInitCommand(
  opts: InitOptions,
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream } = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const username = validateUsername(opts.username);
  const { config, logger, db } = openData(opts.config);
  const core = buildCore({ config, db, now: systemClock, logger });
  try {
    const admins = core.accounts.activeAdmins();
    if (admins.length > 0) {
      io.err.write('mcias init: an active admin already exists; nothing changed\n');
      return 1;
    }
    // The key first: a missing one should stop us before anyone types a password.
    const secret = await configuredSecret(config.master_key);
    const password = validateNewPassword(await readAdminPassword(opts, username));
    try {
      await core.vault.unseal(secret, { allowInit: true });
    } finally {
      if ('key' in secret) secret.key.fill(0);
    }
    const view = await core.accounts.create(
      { username, accountType: 'human', password, roles: ['admin'], tags: [] },
      systemActor,
    );
    io.out.write(`created admin ${view.record.username} (${view.record.uuid})\n`);
    return 0;
  } finally {
    core.vault.seal();
    db.close();
  }
}

async function readAdminPassword(opts: InitOptions, username: string): Promise<string> {
  if (opts.passwordFile !== undefined && opts.passwordStdin) {
    throw new InvalidRequestError('give --password-file or --password-stdin, not both');
  }
  if (opts.passwordFile !== undefined) return readPasswordFile(opts.passwordFile);
  if (opts.passwordStdin) return readPasswordFromStdin();
  const first = await readPassword(`password for ${username}: `);
  const again = await readPassword('again: ');
  if (first !== again) throw new InvalidRequestError('the passwords differ; nothing changed');
  return first;
}

async function configuredSecret(source: MasterKeyConfig): Promise<MasterSecret> {
  if (source.kind === 'keyfile') return { key: await readMasterKeyFile(source.keyfile) };
  const passphrase = process.env[source.passphrase_env];
  if (!passphrase) {
    throw new PreconditionError(
      `init needs the master passphrase: set $${source.passphrase_env} (or configure [master_key] keyfile)`,
      {
        code: 'ERR_NO_MASTER_KEY',
      },
    );
  }
  return { passphrase };
}
