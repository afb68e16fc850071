#!/usr/bin/env node
// mc: the platform launcher. Commander wiring only; each command lives in its own file.
import { Command } from 'commander';
import { McError } from '@metacircular/mcdsl';
import { defaultDomain } from '../domain-name.js';
import { defaultPlatformDir } from '../platform-layout.js';
import { downHelp, runDown } from './down.js';
import { runStatus, statusHelp } from './status.js';
import { runSupervise } from './supervise.js';
import { runUp, upHelp } from './up.js';

// A reader that stops early (`mc status | head`) closes the pipe; that is not an error of ours,
// and it must not kill a foreground supervisor halfway through its work.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

const program = new Command('mc')
  .description('Bring a whole single-node Metacircular platform up on this machine, on loopback, without root.')
  .showHelpAfterError();

program
  .command('up')
  .description(
    'Create the platform directory (seed root CA, a certificate and config per service, admin password), ' +
      'start the built services in bootstrap order as supervised processes on free loopback ports, ' +
      'wait until each is healthy and print the endpoints. Stays in the foreground until Ctrl-C unless --detach.',
  )
  .option('--dir <dir>', 'platform directory', defaultPlatformDir)
  .option(
    '--domain <domain>',
    `platform domain; certificates name <service>.svc.mcp.<domain> (default: the last one used, else ${defaultDomain})`,
  )
  .option('--detach', 'return once every service is healthy, leaving a background supervisor')
  .addHelpText('after', upHelp)
  .action((opts: { dir: string; domain?: string; detach?: boolean }) => runUp(opts));

program
  .command('status')
  .description("Show whether the platform runs, each service's state, pid, health and endpoints.")
  .option('--dir <dir>', 'platform directory', defaultPlatformDir)
  .option('--json', 'print JSON instead of a table')
  .addHelpText('after', statusHelp)
  .action((opts: { dir: string; json?: boolean }) => runStatus(opts));

program
  .command('down')
  .description('Stop every process mc up started for the platform directory; none is left behind.')
  .option('--dir <dir>', 'platform directory', defaultPlatformDir)
  .addHelpText('after', downHelp)
  .action((opts: { dir: string }) => runDown(opts));

// The background supervisor `mc up --detach` starts; not meant to be run by hand.
program
  .command('supervise', { hidden: true })
  .option('--dir <dir>', 'platform directory', defaultPlatformDir)
  .option('--domain <domain>', 'platform domain')
  .option('--registry <module>', 'module exporting the service registry to run')
  .action((opts: { dir: string; domain?: string; registry?: string }) => runSupervise(opts));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // McErrors and system errors (EACCES, ENOSPC...) speak to the operator; anything else is a
  // bug, so its stack is shown.
  const expected = err instanceof McError || (err instanceof Error && 'code' in err);
  const text = err instanceof Error ? (expected ? err.message : (err.stack ?? err.message)) : String(err);
  process.stderr.write(`mc: ${text}\n`);
  process.exitCode = 1;
}
