#!/usr/bin/env node
// mciasctl: the MCIAS admin CLI over REST. Commander wiring only; each command group lives in
// its own file under ctl/.
import { Command, CommanderError } from 'commander';
import { registerAccountCommands } from './ctl/account-commands.js';
import { registerAuditCommands } from './ctl/audit-commands.js';
import { Ctl } from './ctl/ctl-context.js';
import { ExitCode, reportError } from './ctl/error-report.js';
import { registerPolicyCommands } from './ctl/policy-commands.js';
import { registerRoleCommands } from './ctl/role-commands.js';
import { registerSessionCommands } from './ctl/session-commands.js';
import { registerTagCommands } from './ctl/tag-commands.js';
import { registerTokenCommands } from './ctl/token-commands.js';
import { registerTOTPCommands } from './ctl/totp-commands.js';
import { registerVaultCommands } from './ctl/vault-commands.js';

const globalHelp = `
Environment:
  MCIAS_SERVER      default for --server
  MCIAS_CACERT      default for --cacert
  MCIAS_TOKEN_FILE  default for --token-file
  MCIAS_TOKEN       the token itself (for scripts), used when no token file is named
A token or password is never taken from the command line, where every user can read it.

Exit codes: 0 ok, 1 failed, 2 bad usage, 3 not logged in / token invalid / bad credentials,
130 interrupted.

Example:
  $ export MCIAS_SERVER=https://mcias.example.net:8443 MCIAS_CACERT=/srv/pki/ca.pem
  $ mciasctl login admin
  $ mciasctl account create alice --type human --role user
  $ mciasctl audit query --actor alice --since 24h`;

const program = new Command('mciasctl')
  .description('Administer MCIAS (accounts, roles, tags, tokens, policy, TOTP, audit, vault) over its REST API.')
  .option('--server <url>', 'MCIAS REST URL, e.g. https://mcias.example.net:8443 (env MCIAS_SERVER)')
  .option('--cacert <path>', "PEM of the CA that signs MCIAS's certificate (env MCIAS_CACERT)")
  .option('--token-file <path>', 'where the token is read from and login writes it (default ~/.config/mciasctl/token)')
  .option('--json', 'print JSON (the REST API field names) instead of tables, for scripts')
  .addHelpText('after', globalHelp)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

const ctl = new Ctl(program);
registerSessionCommands(program, ctl);
registerAccountCommands(program, ctl);
registerRoleCommands(program, ctl);
registerTagCommands(program, ctl);
registerTokenCommands(program, ctl);
registerPolicyCommands(program, ctl);
registerTOTPCommands(program, ctl);
registerAuditCommands(program, ctl);
registerVaultCommands(program, ctl);
// Subcommands inherit exitOverride only when set on each; usage errors must not exit 1.
for (const command of allCommands(program)) command.exitOverride();

let running = 'mciasctl';
program.hook('preAction', (_root, action) => {
  running = action.name();
});

// A token in argv is readable by every local user (ps, /proc): refuse it before parsing, without
// echoing it back.
if (process.argv.some((arg) => arg === '--token' || arg.startsWith('--token='))) {
  process.stderr.write(
    'mciasctl: --token is not accepted (argv is visible to other users); use --token-file <path> or MCIAS_TOKEN\n',
  );
  process.exit(ExitCode.Usage);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // commander has already printed its message (or the help).
    process.exitCode = err.exitCode === 0 ? 0 : ExitCode.Usage;
  } else {
    const report = reportError(err, running);
    process.stderr.write(`mciasctl: ${report.message}\n`);
    process.exitCode = report.exitCode;
  }
}

function allCommands(root: Command): Command[] {
  return root.commands.flatMap((c) => [c, ...allCommands(c)]);
}
