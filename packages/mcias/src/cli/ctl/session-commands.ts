import type { Command } from 'commander';
import { UnauthenticatedError } from '@metacircular/mcdsl';
import type { TokenInfo } from '../../client/index.js';
import { formatTime, note, print, printJson, renderFields } from './cli-output.js';
import { notLoggedInHint, type Ctl } from './ctl-context.js';
import { collect } from './option-parsers.js';
import { passwordFlags, promptSecret, readSecret } from './secret-input.js';
import { removeTokenFile, writeTokenFile } from './token-file.js';

interface LoginOptions {
  passwordStdin?: boolean;
  passwordFile?: string;
  totpCode?: string;
  totp?: boolean;
  printToken?: boolean;
  serviceName?: string;
  tag: string[];
}

/** registerSessionCommands adds login, logout and whoami. */
export function registerSessionCommands(program: Command, ctl: Ctl): void {
  program
    .command('login')
    .description('Log in with a password (and TOTP code) and keep the token in the token file (mode 0600).')
    .argument('<username>', 'the account to log in as')
    .option('--password-stdin', 'read the password from standard input (e.g. piped from a password manager)')
    .option('--password-file <path>', 'read the password from a file only you can read')
    .option('--totp', 'prompt for a TOTP code (needed once TOTP is enrolled)')
    .option('--totp-code <code>', 'the current TOTP code (one-time, so it may be given here)')
    .option('--print-token', 'print the token on stdout instead of writing the token file')
    .option('--service-name <name>', 'log in on behalf of this service (input to the login policy)')
    .option('--tag <tag>', 'a tag of that service (repeatable)', collect, [])
    .addHelpText(
      'after',
      `
Without --password-stdin or --password-file the password is prompted for with echo off.
The token is written to --token-file, else $MCIAS_TOKEN_FILE, else ~/.config/mciasctl/token.
  $ mciasctl --server https://mcias.example.net:8443 login alice
  $ pass show mcias/ci | mciasctl login ci-bot --password-stdin --print-token`,
    )
    .action((username: string, opts: LoginOptions) => login(ctl, username, opts));

  program
    .command('logout')
    .description('Revoke the token at MCIAS and delete the token file.')
    .action(() =>
      ctl.withSession('required', async ({ client, tokenSource }) => {
        await client.logout();
        if (tokenSource?.kind === 'file') {
          await removeTokenFile(tokenSource.path);
          note(`logged out; token revoked and ${tokenSource.path} removed`);
        } else {
          note('logged out; token revoked (it came from MCIAS_TOKEN, so there is no file to remove)');
        }
      }),
    );

  program
    .command('whoami')
    .description('Validate the token at MCIAS and show whose it is: account, roles, expiry. Exits 3 if it is not valid.')
    .action(() =>
      ctl.withSession('required', async ({ client }) => {
        const info = await client.validateToken();
        if (!info.valid) throw tokenNotValid();
        showTokenInfo(ctl, info);
      }),
    );
}

async function login(ctl: Ctl, username: string, opts: LoginOptions): Promise<void> {
  const password = await readSecret(
    { ...(opts.passwordStdin ? { stdin: true } : {}), ...(opts.passwordFile !== undefined ? { file: opts.passwordFile } : {}) },
    { label: 'Password', flags: passwordFlags },
  );
  let totpCode = opts.totpCode;
  if (totpCode === undefined && opts.totp === true) totpCode = await promptSecret('TOTP code: ');
  const context = { ...(opts.serviceName !== undefined ? { serviceName: opts.serviceName } : {}), tags: opts.tag };
  await ctl.withSession(
    'none',
    async ({ client }) => {
      const issued = await client.login(username, password, totpCode);
      if (opts.printToken === true) {
        if (ctl.json) printJson({ username, token: issued.token, expiresAt: issued.expiresAt });
        else print(issued.token);
        return;
      }
      const path = ctl.tokenFilePath;
      await writeTokenFile(path, issued.token);
      if (ctl.json) printJson({ username, expiresAt: issued.expiresAt, tokenFile: path });
      else note(`logged in as ${username} until ${formatTime(issued.expiresAt)}; token saved to ${path}`);
    },
    context,
  );
}

/** showTokenInfo prints a validation result (whoami, token validate). */
export function showTokenInfo(ctl: Ctl, info: TokenInfo): void {
  if (ctl.json) {
    printJson(info);
    return;
  }
  print(
    renderFields([
      ['Valid', info.valid ? 'yes' : 'no'],
      ['Username', info.username],
      ['Account id', info.sub],
      ['Type', info.accountType],
      ['Roles', info.roles],
      ['Expires', info.expiresAt],
      ['Token id', info.jti],
    ]),
  );
}

/** tokenNotValid is the error of whoami for an expired or revoked token (exit code 3). */
export function tokenNotValid(): UnauthenticatedError {
  return new UnauthenticatedError(`the token is not valid (expired or revoked): ${notLoggedInHint}`, {
    code: 'ERR_NOT_LOGGED_IN',
  });
}
