import type { Command } from 'commander';
import { note, print, printJson } from './cli-output.js';
import type { Ctl } from './ctl-context.js';
import { passphraseFlags, readSecret } from './secret-input.js';

/** registerVaultCommands adds `vault status|unseal|seal`. */
export function registerVaultCommands(program: Command, ctl: Ctl): void {
  const vault = program
    .command('vault')
    .description("MCIAS's vault: while sealed (no master key) every API except health, vault status and unseal answers 503.");

  vault
    .command('status')
    .description('Show whether MCIAS is sealed (no token needed). Exits 1 when sealed.')
    .action(() =>
      ctl.withSession('none', async ({ client }) => {
        const state = await client.vaultStatus();
        if (ctl.json) printJson(state);
        else print(state.sealed ? 'sealed' : 'unsealed');
        if (state.sealed) process.exitCode = 1;
      }),
    );

  vault
    .command('unseal')
    .description('Unseal MCIAS with the master passphrase (no token needed; attempts are rate-limited).')
    .option('--passphrase-stdin', 'read the passphrase from standard input')
    .option('--passphrase-file <path>', 'read the passphrase from a file only you can read')
    .action((opts: { passphraseStdin?: boolean; passphraseFile?: string }) =>
      ctl.withSession('none', async ({ client }) => {
        const passphrase = await readSecret(
          {
            ...(opts.passphraseStdin === true ? { stdin: true } : {}),
            ...(opts.passphraseFile !== undefined ? { file: opts.passphraseFile } : {}),
          },
          { label: 'Passphrase', flags: passphraseFlags },
        );
        const state = await client.unseal(passphrase);
        if (ctl.json) return printJson(state);
        note(state.sealed ? 'still sealed' : 'unsealed');
      }),
    );

  vault
    .command('seal')
    .description('Seal MCIAS (admin): it forgets its master key and refuses service until unsealed.')
    .action(() =>
      ctl.withSession('required', async ({ client }) => {
        const state = await client.seal();
        if (ctl.json) return printJson(state);
        note(state.sealed ? 'sealed' : 'still unsealed');
      }),
    );
}
