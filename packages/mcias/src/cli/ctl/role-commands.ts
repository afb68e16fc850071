import type { Command } from 'commander';
import { note, print, printJson } from './cli-output.js';
import { resolveAccount, type Ctl } from './ctl-context.js';

const roleNames = 'admin, user, guest, viewer, editor, commenter';

/** registerRoleCommands adds `role list|set|grant|revoke` (admin). */
export function registerRoleCommands(program: Command, ctl: Ctl): void {
  const role = program
    .command('role')
    .description(`Show and change an account's roles (admin). Roles: ${roleNames}; only admin means something to MCIAS.`);

  role
    .command('list')
    .description("List an account's roles, one per line.")
    .argument('<account>', 'username or account id')
    .action((ref: string) =>
      ctl.withSession('required', async ({ client }) => {
        const roles = await client.getRoles((await resolveAccount(client, ref)).id);
        if (ctl.json) return printJson({ roles });
        if (roles.length > 0) print(roles.join('\n'));
        else note('(no roles)');
      }),
    );

  role
    .command('set')
    .description("Replace an account's roles with the ones given (none: remove all).")
    .argument('<account>', 'username or account id')
    .argument('[roles...]', `the complete new list (${roleNames})`)
    .action((ref: string, roles: string[]) =>
      ctl.withSession('required', async ({ client }) => {
        const target = await resolveAccount(client, ref);
        const now = await client.setRoles(target.id, roles);
        if (ctl.json) return printJson({ roles: now });
        note(`roles of ${target.username}: ${now.length > 0 ? now.join(', ') : '(none)'}`);
      }),
    );

  role
    .command('grant')
    .description('Grant one role (nothing changes if the account has it already).')
    .argument('<account>', 'username or account id')
    .argument('<role>', roleNames)
    .action((ref: string, name: string) =>
      ctl.withSession('required', async ({ client }) => {
        const target = await resolveAccount(client, ref);
        await client.grantRole(target.id, name);
        note(`granted role ${name} to ${target.username}`);
      }),
    );

  role
    .command('revoke')
    .description('Take one role away.')
    .argument('<account>', 'username or account id')
    .argument('<role>', roleNames)
    .action((ref: string, name: string) =>
      ctl.withSession('required', async ({ client }) => {
        const target = await resolveAccount(client, ref);
        await client.revokeRole(target.id, name);
        note(`revoked role ${name} from ${target.username}`);
      }),
    );
}
