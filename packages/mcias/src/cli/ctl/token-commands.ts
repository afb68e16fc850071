import type { Command } from 'commander';
import { InvalidRequestError, readPasswordFromStdin } from '@metacircular/mcdsl';
import { formatTime, note, print, printJson } from './cli-output.js';
import { resolveAccount, type Ctl } from './ctl-context.js';
import { showTokenInfo } from './session-commands.js';
import { writeTokenFile } from './token-file.js';

/** registerTokenCommands adds `token issue|revoke|validate`. */
export function registerTokenCommands(program: Command, ctl: Ctl): void {
  const token = program.command('token').description('Issue service tokens, revoke tokens and validate tokens.');

  token
    .command('issue')
    .description('Issue a token for a system account (admin); printed on stdout unless --out is given.')
    .argument('<account>', 'username or id of a system account')
    .option('--out <path>', 'write the token to this file (mode 0600) instead of printing it')
    .addHelpText(
      'after',
      `
  $ mciasctl token issue ci-bot --out /srv/ci/mcias.token
The token is valid for a year unless revoked: \`mciasctl token revoke <jti>\` (the jti is
shown by \`mciasctl --token-file <file> whoami\` or \`mciasctl token validate --stdin\`).`,
    )
    .action((ref: string, opts: { out?: string }) =>
      ctl.withSession('required', async ({ client }) => {
        const target = await resolveAccount(client, ref);
        const issued = await client.issueServiceToken(target.id);
        if (opts.out !== undefined) {
          await writeTokenFile(opts.out, issued.token);
          if (ctl.json) return printJson({ accountId: target.id, expiresAt: issued.expiresAt, tokenFile: opts.out });
          note(`token for ${target.username} (until ${formatTime(issued.expiresAt)}) written to ${opts.out}`);
          return;
        }
        if (ctl.json) return printJson({ accountId: target.id, token: issued.token, expiresAt: issued.expiresAt });
        print(issued.token);
        note(`token for ${target.username}, valid until ${formatTime(issued.expiresAt)}`);
      }),
    );

  token
    .command('revoke')
    .description('Revoke a token by its id (jti) (admin); it stops validating at once.')
    .argument('<jti>', 'the token id')
    .action((jti: string) =>
      ctl.withSession('required', async ({ client }) => {
        await client.revokeToken(jti);
        note(`revoked token ${jti}`);
      }),
    );

  token
    .command('validate')
    .description('Ask MCIAS whether a token is valid: your own, or one piped in with --stdin. Exits 1 if it is not.')
    .option('--stdin', 'read the token to check from standard input')
    .action((opts: { stdin?: boolean }) =>
      ctl.withSession(opts.stdin === true ? 'none' : 'required', async ({ client }) => {
        let subject: string | undefined;
        if (opts.stdin === true) {
          subject = (
            await readPasswordFromStdin().catch((err: unknown) => {
              throw new InvalidRequestError(
                'no token on standard input; pipe one in, e.g. `mciasctl token validate --stdin < file`',
                {
                  cause: err,
                },
              );
            })
          ).trim();
        }
        const info = await client.validateToken(subject);
        showTokenInfo(ctl, info);
        if (!info.valid) {
          note('the token is not valid (expired, revoked or not issued by this mcias)');
          process.exitCode = 1;
        }
      }),
    );
}
