import { readFile, stat } from 'node:fs/promises';
import { InvalidRequestError } from '@metacircular/mcdsl';
import type { Core } from './core.js';

/**
 * unsealAtStartup unseals with `[seal] unseal_password_file` when it is configured (spec Q1
 * recommends no auto-unseal, and that stays the default). On one machine under `mc up` the
 * password already lives in a 0600 file beside the database, so reading it at start adds no
 * exposure and means a crash restart does not leave every certificate request answering 503
 * until someone types the password. A missing file, or an uninitialized Metacrypt, starts
 * sealed as usual; a file others may read, or a wrong password, stops the start: both are
 * configuration errors an operator must see.
 */
export async function unsealAtStartup(core: Core, file: string): Promise<void> {
  if (file === '') return;
  let password: string;
  try {
    const info = await stat(file);
    if ((info.mode & 0o077) !== 0) {
      throw new InvalidRequestError(
        `[seal] unseal_password_file ${file} is readable by others (mode ${(info.mode & 0o777).toString(8)}); chmod 600 it`,
      );
    }
    password = (await readFile(file, 'utf8')).replace(/\r?\n$/, '');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      core.logger.warn({ file }, 'unseal password file not found; starting sealed');
      return;
    }
    throw err;
  }
  if (core.seal.state !== 'sealed') {
    core.logger.info({ state: core.seal.state }, 'not sealed at start; the unseal password file is not used');
    return;
  }
  await core.seal.unseal(password);
  core.audit.record({ action: 'unseal-at-startup', result: 'allow', reason: 'unseal_password_file' });
}
