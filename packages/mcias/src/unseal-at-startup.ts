import { AuditEvents } from './audit/index.js';
import type { Core } from './core.js';
import { readMasterKeyFile } from './vault/index.js';

/**
 * unsealAtStartup unseals the vault with the configured master key when it is available, and
 * initialises a new vault that way (the only place besides `mcias init` that may). "Not
 * available" (the passphrase variable unset or empty, the key file missing) leaves the server
 * sealed until someone unseals it through the API. A key that is present but wrong, or a key file
 * with loose permissions, is a configuration error and stops the start.
 *
 * The passphrase is removed from the process environment once read, so child processes and
 * later code never see it.
 */
export async function unsealAtStartup(core: Core, env: NodeJS.ProcessEnv): Promise<void> {
  const source = core.config.master_key;
  if (source.kind === 'passphrase') {
    const passphrase = env[source.passphrase_env];
    if (env === process.env) delete process.env[source.passphrase_env];
    if (!passphrase) {
      core.logger.warn({ env: source.passphrase_env }, 'master passphrase not set; starting sealed');
      return;
    }
    await core.vault.unseal({ passphrase }, { allowInit: true });
  } else {
    let key: Buffer;
    try {
      key = await readMasterKeyFile(source.keyfile);
    } catch (err) {
      if ((err as { cause?: NodeJS.ErrnoException }).cause?.code === 'ENOENT') {
        core.logger.warn({ keyfile: source.keyfile }, 'master key file not found; starting sealed');
        return;
      }
      throw err;
    }
    try {
      await core.vault.unseal({ key }, { allowInit: true });
    } finally {
      key.fill(0);
    }
  }
  core.audit.record({ type: AuditEvents.VaultUnsealed, details: { source: source.kind, at_startup: true } });
  core.logger.info('vault unsealed at startup');
}
