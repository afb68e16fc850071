import { randomBytes } from 'node:crypto';
import {
  createCSRF,
  createHttpServer,
  createLogger,
  loadTLSFiles,
  registerHealthRoute,
  registerStatic,
} from '@metacircular/mcdsl';
import type { BoundAddress, HttpServer, Logger } from '@metacircular/mcdsl';
import { accessTable } from './access-table.js';
import { loadMcatConfig, serviceName } from './config.js';
import type { McatConfig } from './config.js';
import { createMciasAuthenticator } from './mcias-authenticator.js';
import { csrfCookieName, formBodyLimit, registerWebRoutes } from './web/index.js';

/**
 * main.ts is MCAT's composition root. It reads top down: config -> logger -> dependencies
 * (TLS material, the MCIAS client, the CSRF key) -> server and routes -> listen -> signals ->
 * stop. Nothing else in the package builds dependencies; the pages get theirs as arguments.
 */

/** StartOptions replace what startMcat would build itself; tests pass a logger writing to a stream. */
export interface StartOptions {
  readonly logger?: Logger;
}

/** RunningMcat is a started MCAT. */
export interface RunningMcat {
  /** the listener's base URL, e.g. "https://127.0.0.1:8443" */
  readonly url: string;
  readonly address: BoundAddress;
  /** the fastify app behind the listener (tests check its routes against the access table) */
  readonly server: HttpServer;
  /** close stops accepting, drains in-flight requests, then drops the MCIAS connections; idempotent */
  close(): Promise<void>;
  /** handleSignals closes MCAT on SIGINT/SIGTERM; resolves once it has stopped */
  handleSignals(): Promise<void>;
}

/**
 * startMcat builds MCAT from a validated config and starts listening. Every dependency is
 * checked before the listener opens (a bad TLS file or CA stops it with a message naming the
 * config key); if listening fails, what was built is closed again.
 */
export async function startMcat(config: McatConfig, opts: StartOptions = {}): Promise<RunningMcat> {
  const logger = opts.logger ?? createLogger({ service: serviceName, level: config.log.level });

  const tls = await loadTLSFiles(
    { cert: config.server.tls_cert, key: config.server.tls_key },
    { cert: '[server] tls_cert', key: '[server] tls_key' },
  );
  const mcias = await createMciasAuthenticator(config.mcias, logger);
  // The CSRF key lives as long as the process and is never written down: a restart only means
  // a form rendered before it must be reloaded (ARCHITECTURE.md, "CSRF key").
  const csrf = createCSRF({ key: randomBytes(32), cookieName: csrfCookieName });

  const server = createHttpServer({
    tls,
    logger,
    access: accessTable,
    bodyLimit: formBodyLimit,
    timeouts: { readMs: config.server.read_timeout, writeMs: config.server.write_timeout, idleMs: config.server.idle_timeout },
  });
  registerHealthRoute(server.app);
  registerStatic(server.app);
  await registerWebRoutes(server.app, {
    mcias,
    csrf,
    service: { mciasUrl: config.mcias.server_url, serviceName: config.mcias.service_name, tags: config.mcias.tags },
  });

  const stop = async (): Promise<void> => {
    await server.close();
    mcias.close();
  };
  let address: BoundAddress;
  try {
    address = await server.listen(config.server.listen_addr);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = `https://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
  return {
    url,
    address,
    server,
    close: stop,
    handleSignals: () => server.handleSignals(() => mcias.close()),
  };
}

/**
 * runServer is `mcat server --config <path>`: load the config (refusing to start on any
 * problem), start, log where MCAT listens and which service context it tests, and run until
 * SIGINT/SIGTERM.
 */
export async function runServer(configPath: string): Promise<void> {
  const config = loadMcatConfig(configPath);
  const logger = createLogger({ service: serviceName, level: config.log.level });
  const mcat = await startMcat(config, { logger });
  logger.info(
    {
      url: mcat.url,
      mcias: config.mcias.server_url,
      service_name: config.mcias.service_name,
      tags: config.mcias.tags,
    },
    'mcat listening',
  );
  await mcat.handleSignals();
}
