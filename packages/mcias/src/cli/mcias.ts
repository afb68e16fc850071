#!/usr/bin/env node
// mcias: the MCIAS server binary. Commander wiring only; each command lives in its own file.
import { Command } from 'commander';
import { McError } from '@metacircular/mcdsl';
import { runInitCommand } from './init-command.js';
import { runServerCommand } from './server-command.js';
import { runSnapshotCommand } from './snapshot-command.js';
import { runStatusCommand } from './status-command.js';

const defaultConfig = 'mcias.toml';

const program = new Command('mcias')
  .description('MCIAS, the Metacircular identity service')
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

program
  .command('server')
  .description('run the REST and gRPC servers until SIGINT/SIGTERM')
  .option('--config <path>', 'mcias.toml', defaultConfig)
  .action(async (opts: { config: string }) => {
    await runServerCommand(opts);
  });

program
  .command('init')
  .description('initialise the vault and create the first admin (refused when an active admin exists)')
  .option('--config <path>', 'mcias.toml', defaultConfig)
  .option('--username <name>', 'the admin username', 'admin')
  .option('--password-file <path>', 'read the password from a file (mode 0600)')
  .option('--password-stdin', 'read the password from standard input')
  .action(async (opts: { config: string; username: string; passwordFile?: string; passwordStdin?: boolean }) => {
    process.exitCode = await runInitCommand(opts);
  });

program
  .command('status')
  .description("report the database's state (schema, vault, accounts) without starting a server")
  .option('--config <path>', 'mcias.toml', defaultConfig)
  .option('--json', 'print JSON')
  .action((opts: { config: string; json?: boolean }) => {
    runStatusCommand(opts);
  });

program
  .command('snapshot')
  .description('write a tar.zst of the data directory with a consistent copy of the database')
  .option('--config <path>', 'mcias.toml', defaultConfig)
  .option('--out <file>', 'the archive to write (default <data dir>/backups/mcias-<time>.tar.zst)')
  .action(async (opts: { config: string; out?: string }) => {
    await runSnapshotCommand(opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const message = err instanceof McError ? err.message : err instanceof Error ? err.message : String(err);
  process.stderr.write(`mcias: ${message}\n`);
  process.exitCode = err instanceof McError && err.code === 'ERR_INTERRUPTED' ? 130 : 1;
}
