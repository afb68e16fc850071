#!/usr/bin/env node
// mcns: the MCNS server binary. Commander wiring only; each command lives in its own file.
import { Command } from 'commander';
import { McError } from '@metacircular/mcdsl';
import { runServerCommand } from './server-command.js';
import { runSnapshotCommand } from './snapshot-command.js';
import { runStatusCommand } from './status-command.js';

const defaultConfig = 'mcns.toml';

const program = new Command('mcns')
  .description('MCNS, the Metacircular name service: authoritative DNS for the platform zones with a record API')
  .version('0.1.0')
  .showHelpAfterError()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

program
  .command('server')
  .description('run the DNS (UDP+TCP), REST and gRPC listeners until SIGINT/SIGTERM')
  .option('--config <path>', 'mcns.toml', defaultConfig)
  .action(async (opts: { config: string }) => {
    await runServerCommand(opts);
  });

program
  .command('status')
  .description("report the database's zones, serials and record counts without starting a server (no token needed)")
  .option('--config <path>', 'mcns.toml', defaultConfig)
  .option('--json', 'print JSON')
  .action((opts: { config: string; json?: boolean }) => {
    runStatusCommand(opts);
  });

program
  .command('snapshot')
  .description('write a consistent copy of the database (VACUUM INTO) to <data dir>/backups/')
  .option('--config <path>', 'mcns.toml', defaultConfig)
  .option('--out <file>', 'the file to write (default <data dir>/backups/mcns-<time>.db)')
  .option('--archive', 'write a tar.zst of the whole data directory instead of the bare database copy')
  .action(async (opts: { config: string; out?: string; archive?: boolean }) => {
    await runSnapshotCommand(opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const message = err instanceof McError ? err.message : err instanceof Error ? err.message : String(err);
  process.stderr.write(`mcns: ${message}\n`);
  process.exitCode = 1;
}
