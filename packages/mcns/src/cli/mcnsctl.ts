#!/usr/bin/env node
// mcnsctl: manage MCNS zones and records over its REST API. Commander wiring only; each
// command group lives in its own file under ctl/.
import { Command, CommanderError } from 'commander';
import { Ctl } from './ctl/ctl-context.js';
import { ExitCode, reportError } from './ctl/error-report.js';
import { registerRecordCommands } from './ctl/record-commands.js';
import { registerZoneCommands } from './ctl/zone-commands.js';

const globalHelp = `
Environment:
  MCNS_SERVER      default for --server
  MCNS_CA_CERT     default for --ca-cert
  MCNS_TOKEN_FILE  default for --token-file
  MCNS_TOKEN       the token itself (for scripts), used when no token file is named
Any MCIAS token works (e.g. the file \`mciasctl login\` writes). A token is never taken from
the command line, where every local user can read it.

Who may change what: reads need any account but a guest; zone changes need the admin role;
records may be changed by admins and the mcp-agent system account, by another system account
only when the record's name is the account's own name, and not by people without admin.

Exit codes: 0 ok, 1 failed (refused, not found, conflict, unreachable), 2 bad usage,
3 no token or token invalid.

Examples:
  $ export MCNS_SERVER=https://mcns.example.net:8443 MCNS_CA_CERT=/srv/pki/ca.pem
  $ export MCNS_TOKEN_FILE=~/.config/mciasctl/token
  $ mcnsctl zones list
  $ mcnsctl records create svc.mcp.example.net metacrypt A 192.168.88.181
  $ mcnsctl records list svc.mcp.example.net --name metacrypt --json`;

const program = new Command('mcnsctl')
  .description('Manage MCNS zones and records over its REST API.')
  .option('--server <url>', 'MCNS REST URL, e.g. https://mcns.example.net:8443 (env MCNS_SERVER)')
  .option('--ca-cert <path>', "PEM of the CA that signs MCNS's certificate (env MCNS_CA_CERT)")
  .option('--token-file <path>', 'file holding an MCIAS token, mode 0600 (env MCNS_TOKEN_FILE)')
  .option('--json', 'print the REST API JSON instead of tables, for scripts')
  .addHelpText('after', globalHelp)
  .showHelpAfterError('(run with --help for usage)');

const ctl = new Ctl(program);
registerZoneCommands(program, ctl);
registerRecordCommands(program, ctl);
// Subcommands inherit exitOverride only when set on each; usage errors must exit 2, not 1.
for (const command of [program, ...allCommands(program)]) command.exitOverride();

// A token in argv is readable by every local user (ps, /proc): refuse it without echoing it.
if (process.argv.some((arg) => arg === '--token' || arg.startsWith('--token='))) {
  process.stderr.write(
    'mcnsctl: --token is not accepted (argv is visible to other users); use --token-file <path> or MCNS_TOKEN\n',
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
    const report = reportError(err);
    process.stderr.write(`mcnsctl: ${report.message}\n`);
    process.exitCode = report.exitCode;
  }
}

function allCommands(root: Command): Command[] {
  return root.commands.flatMap((c) => [c, ...allCommands(c)]);
}
