import type { Command } from 'commander';
import { note } from './cli-output.js';
import { resolveAccount, type Ctl } from './ctl-context.js';

/** registerTOTPCommands adds `totp reset` (admin). */
export function registerTOTPCommands(program: Command, ctl: Ctl): void {
  const totp = program.command('totp').description("Manage an account's TOTP second factor (admin).");

  totp
    .command('reset')
    .description(
      'Remove the TOTP enrolment of an account (e.g. after a lost phone); it logs in with the password alone until it enrols again.',
    )
    .argument('<account>', 'username or account id')
    .action((ref: string) =>
      ctl.withSession('required', async ({ client }) => {
        const target = await resolveAccount(client, ref);
        await client.removeTOTP(target.id);
        note(`removed the TOTP enrolment of ${target.username}`);
      }),
    );
}
