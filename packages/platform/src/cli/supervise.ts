import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { up } from '../launcher/up.js';
import type { ServiceDefinition } from '../registry/service-definition.js';
import type { SupervisorEvent } from '../supervisor/supervisor-event.js';
import { ProgressPrinter } from './progress-printer.js';
import { watchStopSignals } from './stop-signal.js';

/** SuperviseCommandOptions are the options of the hidden `mc supervise`. */
export interface SuperviseCommandOptions {
  readonly dir: string;
  readonly domain?: string;
  /** a module exporting `registry`, run instead of the real registry (tests) */
  readonly registry?: string;
}

/**
 * runSupervise is the detached supervisor `mc up --detach` starts: it runs the platform like
 * a foreground `mc up`, logs events (to logs/supervisor.log, where its output goes) and sends
 * them over the IPC channel while its parent listens. It runs until SIGTERM (`mc down`).
 */
export async function runSupervise(options: SuperviseCommandOptions): Promise<void> {
  const printer = new ProgressPrinter({ logStyle: true });
  const send = (event: SupervisorEvent): Promise<void> =>
    new Promise((done) => {
      if (process.send === undefined || !process.connected) return done();
      process.send(event, undefined, {}, () => done());
    });
  const stop = watchStopSignals(
    (signal) => printer.line(`${signal}: stopping`),
    () => printer.line('still stopping'),
  );
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    let supervisor;
    try {
      const registry = options.registry === undefined ? {} : { registry: await loadRegistry(options.registry) };
      supervisor = await up({
        dir: options.dir,
        ...(options.domain === undefined ? {} : { domain: options.domain }),
        ...registry,
        signal: stop.signal,
        onEvent: (event) => {
          printer.print(event);
          void send(event);
        },
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      printer.line(`failed: ${message}`);
      await send({ type: 'failed', message });
      process.exitCode = 1;
      return;
    }
    await stop.stopped;
    await supervisor.stop();
    printer.line('stopped');
  } finally {
    clearInterval(keepAlive);
    stop.dispose();
  }
}

async function loadRegistry(modulePath: string): Promise<readonly ServiceDefinition[]> {
  const loaded = (await import(pathToFileURL(resolve(modulePath)).href)) as { registry?: unknown };
  if (!Array.isArray(loaded.registry)) {
    throw new InvalidRequestError(`${modulePath} does not export 'registry', an array of service definitions`);
  }
  return loaded.registry as readonly ServiceDefinition[];
}
