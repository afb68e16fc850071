import { startServer } from '../main.js';

/** runServerCommand starts MCNS from its config file and stops it cleanly on SIGINT/SIGTERM. */
export async function runServerCommand(opts: { config: string }): Promise<void> {
  const server = await startServer({ config: opts.config });
  await server.http.handleSignals(() => server.stop());
}
