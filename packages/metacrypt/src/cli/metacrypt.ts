#!/usr/bin/env node
// metacrypt: the Metacrypt API server binary and its operator commands. Commander wiring only;
// each command lives in its own file.
import { Command } from 'commander';
import { McError } from '@metacircular/mcdsl';
import { errorText, type TargetOptions } from './api-target.js';
import { runInitCommand } from './init-command.js';
import type { PasswordSource } from './password-input.js';
import { runSealCommand } from './seal-command.js';
import { runServerCommand } from './server-command.js';
import { runSnapshotCommand } from './snapshot-command.js';
import { runStatusCommand } from './status-command.js';
import { runUnsealCommand } from './unseal-command.js';

const defaultConfig = '/srv/metacrypt/metacrypt.toml';

type UnsealOptions = TargetOptions & PasswordSource;
type InitOptions = UnsealOptions & { tokenFile?: string };
type StatusOptions = TargetOptions & { json?: boolean };

const program = new Command('metacrypt')
  .description('Metacrypt, the Metacircular cryptographic service engine (CA, ACME, SSH CA, transit, user-to-user)')
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

const target = (cmd: Command): Command =>
  cmd
    .option('--addr <url>', 'REST API base URL (default: from --config, else https://127.0.0.1:8443)')
    .option('--ca-cert <path>', "PEM of the CA that signs the server's certificate (default: system roots)")
    .option('--config <path>', 'metacrypt.toml, to find the address when --addr is absent');

program
  .command('server')
  .description('run the REST and gRPC servers (starting sealed) until SIGINT/SIGTERM')
  .option('--config <path>', 'metacrypt.toml', defaultConfig)
  .action(async (opts: { config: string }) => {
    await runServerCommand(opts);
  });

target(
  program
    .command('init')
    .description(
      'initialize a running server: asks twice for the unseal password (12+ characters, no echo); ' +
        'the server is left unsealed. Allowed from this machine, or elsewhere with an admin --token-file',
    )
    .option('--password-file <path>', 'read the password from a file (mode 0600) instead of the terminal')
    .option('--password-stdin', 'read the password from standard input')
    .option('--token-file <path>', 'MCIAS admin token, needed when not calling from loopback'),
).action(async (opts: InitOptions) => {
  await runInitCommand(opts);
});

target(
  program
    .command('unseal')
    .description('unseal a running server: asks for the unseal password (no echo); wrong passwords are rate-limited')
    .option('--password-file <path>', 'read the password from a file (mode 0600) instead of the terminal')
    .option('--password-stdin', 'read the password from standard input'),
).action(async (opts: UnsealOptions) => {
  await runUnsealCommand(opts);
});

target(
  program
    .command('seal')
    .description('seal a running server: zeroes every key in memory; engines answer 503 until unsealed')
    .requiredOption('--token-file <path>', 'file holding an MCIAS admin token (mode 0600)'),
).action(async (opts: TargetOptions & { tokenFile: string }) => {
  await runSealCommand(opts);
});

target(
  program
    .command('status')
    .description(
      'print the state (uninitialized, sealed, unsealed) and health of a running server; exit 0 unsealed, 2 sealed, 1 unreachable',
    )
    .option('--json', 'print JSON'),
).action(async (opts: StatusOptions) => {
  process.exitCode = await runStatusCommand(opts);
});

program
  .command('snapshot')
  .description('copy the database with VACUUM INTO to <data dir>/backups/metacrypt-<UTC time>.db and prune old copies')
  .option('--config <path>', 'metacrypt.toml', defaultConfig)
  .option('--keep <n>', 'how many snapshots to keep', '7')
  .option('--out <dir>', 'write into this directory instead of <data dir>/backups')
  .action((opts: { config: string; keep: string; out?: string }) => {
    runSnapshotCommand(opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`metacrypt: ${errorText(err)}\n`);
  process.exitCode = err instanceof McError && err.code === 'ERR_INTERRUPTED' ? 130 : 1;
}
