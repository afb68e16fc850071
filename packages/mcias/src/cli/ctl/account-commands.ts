import type { Command } from 'commander';
import { InvalidRequestError } from '@metacircular/mcdsl';
import type { Account, AccountType } from '../../client/index.js';
import { note, print, printJson, renderFields, renderTable } from './cli-output.js';
import { resolveAccount, resolveAccountId, type Ctl } from './ctl-context.js';
import { collect, parseChoice } from './option-parsers.js';
import { passwordFlags, readSecret } from './secret-input.js';

interface CreateOptions {
  type: AccountType;
  role: string[];
  tag: string[];
  passwordStdin?: boolean;
  passwordFile?: string;
}

interface PasswordOptions {
  passwordStdin?: boolean;
  passwordFile?: string;
}

const accountArg = ['<account>', 'username or account id'] as const;

/** registerAccountCommands adds `account list|create|get|update|delete|set-password` (admin). */
export function registerAccountCommands(program: Command, ctl: Ctl): void {
  const account = program
    .command('account')
    .description('Manage human and system accounts (admin). An account is given by username or id.');

  account
    .command('list')
    .description('List accounts.')
    .option('--all', 'include soft-deleted accounts')
    .action((opts: { all?: boolean }) =>
      ctl.withSession('required', async ({ client }) => {
        const accounts = await client.listAccounts({ includeDeleted: opts.all === true });
        if (ctl.json) return printJson(accounts);
        print(
          renderTable(
            ['USERNAME', 'TYPE', 'STATUS', 'ROLES', 'TAGS', 'TOTP', 'ID'],
            accounts.map((a) => [a.username, a.accountType, a.status, a.roles, a.tags, a.totpRequired ? 'yes' : 'no', a.id]),
          ),
        );
      }),
    );

  account
    .command('create')
    .description(
      'Create an account. A human account needs a password (prompted for twice unless given); a system account has none.',
    )
    .argument('<username>', '1-64 characters of a-z, 0-9, ".", "_" and "-"')
    .requiredOption('--type <type>', 'human or system', parseChoice(['human', 'system'] as const))
    .option('--role <role>', 'a role to grant (repeatable): admin, user, guest, viewer, editor, commenter', collect, [])
    .option('--tag <tag>', 'a tag to set (repeatable), e.g. env:prod', collect, [])
    .option('--password-stdin', 'read the password from standard input')
    .option('--password-file <path>', 'read the password from a file only you can read')
    .addHelpText(
      'after',
      `
  $ mciasctl account create alice --type human --role user
  $ mciasctl account create ci-bot --type system --role user --tag env:ci
A system account gets its token with \`mciasctl token issue <account>\`.`,
    )
    .action((username: string, opts: CreateOptions) =>
      ctl.withSession('required', async ({ client }) => {
        let password: string | undefined;
        if (opts.type === 'human') {
          password = await readSecret(passwordSource(opts), { label: 'New password', confirm: true, flags: passwordFlags });
        } else if (opts.passwordStdin === true || opts.passwordFile !== undefined) {
          throw new InvalidRequestError('a system account has no password; drop --password-stdin/--password-file');
        }
        const created = await client.createAccount({
          username,
          accountType: opts.type,
          ...(password !== undefined ? { password } : {}),
          roles: opts.role,
          tags: opts.tag,
        });
        if (ctl.json) return printJson(created);
        showAccount(created);
      }),
    );

  account
    .command('get')
    .description('Show one account.')
    .argument(...accountArg)
    .action((ref: string) =>
      ctl.withSession('required', async ({ client }) => {
        const found = await resolveAccount(client, ref);
        if (ctl.json) return printJson(found);
        showAccount(found);
      }),
    );

  account
    .command('update')
    .description('Change the status of an account: inactive accounts cannot log in and their tokens stop validating.')
    .argument(...accountArg)
    .requiredOption('--status <status>', 'active or inactive', parseChoice(['active', 'inactive'] as const))
    .action((ref: string, opts: { status: 'active' | 'inactive' }) =>
      ctl.withSession('required', async ({ client }) => {
        const updated = await client.updateAccount(await resolveAccountId(client, ref), { status: opts.status });
        if (ctl.json) return printJson(updated);
        showAccount(updated);
      }),
    );

  account
    .command('delete')
    .description('Soft-delete an account: it can no longer log in and its tokens are revoked.')
    .argument(...accountArg)
    .action((ref: string) =>
      ctl.withSession('required', async ({ client }) => {
        const target = await resolveAccount(client, ref);
        await client.deleteAccount(target.id);
        note(`deleted account ${target.username} (${target.id})`);
      }),
    );

  account
    .command('set-password')
    .description("Reset a human account's password (prompted for twice unless given).")
    .argument(...accountArg)
    .option('--password-stdin', 'read the new password from standard input')
    .option('--password-file <path>', 'read the new password from a file only you can read')
    .action((ref: string, opts: PasswordOptions) =>
      ctl.withSession('required', async ({ client }) => {
        const target = await resolveAccount(client, ref);
        const password = await readSecret(passwordSource(opts), { label: 'New password', confirm: true, flags: passwordFlags });
        await client.resetPassword(target.id, password);
        note(`password of ${target.username} changed`);
      }),
    );
}

function passwordSource(opts: PasswordOptions): { stdin?: boolean; file?: string } {
  return {
    ...(opts.passwordStdin === true ? { stdin: true } : {}),
    ...(opts.passwordFile !== undefined ? { file: opts.passwordFile } : {}),
  };
}

function showAccount(a: Account): void {
  print(
    renderFields([
      ['Username', a.username],
      ['Id', a.id],
      ['Type', a.accountType],
      ['Status', a.status],
      ['Roles', a.roles],
      ['Tags', a.tags],
      ['TOTP', a.totpRequired ? 'enrolled' : 'no'],
      ['Created', a.createdAt],
      ['Updated', a.updatedAt],
      ...(a.deletedAt ? ([['Deleted', a.deletedAt]] as const) : []),
    ]),
  );
}
