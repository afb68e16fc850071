#!/usr/bin/env node
// mcat: the MCIAS login-policy tester. Commander wiring only; the work is in main.ts and status.ts.
import { Command } from 'commander';
import { McError } from '@metacircular/mcdsl';
import { runServer } from '../main.js';
import { runStatus } from './status.js';

const defaultConfig = '/srv/mcat/mcat.toml';

const program = new Command('mcat')
  .description(
    'MCAT tests MCIAS login policy: a small web app whose login form is posted to MCIAS with a configured ' +
      'service_name and tags, showing whether the login is accepted, denied by policy or has bad credentials.',
  )
  .showHelpAfterError();

program
  .command('server')
  .description('Serve the web UI over HTTPS (TLS 1.3) until SIGINT/SIGTERM.')
  .option('--config <path>', 'config file', defaultConfig)
  .action((opts: { config: string }) => runServer(opts.config));

program
  .command('status')
  .description("Check the running MCAT's health (pinned to [server] tls_cert) and MCIAS's; exit 1 if either is down.")
  .option('--config <path>', 'config file', defaultConfig)
  .action((opts: { config: string }) => runStatus(opts));

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // McErrors (config, TLS files) and system errors (EADDRINUSE, EACCES) speak to the operator;
  // anything else is a bug, so its stack is shown.
  const expected = err instanceof McError || (err instanceof Error && 'code' in err);
  const text = err instanceof Error ? (expected ? err.message : (err.stack ?? err.message)) : String(err);
  process.stderr.write(`mcat: ${text}\n`);
  process.exitCode = 1;
}
