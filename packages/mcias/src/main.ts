import {
  createGrpcServer,
  createHttpServer,
  createLogger,
  grpcHealthService,
  loadTLSFiles,
  migrate,
  openDatabase,
  registerTranscodedRoutes,
  type AccessTable,
  type GrpcServer,
  type HttpServer,
  type Logger,
  type ServiceRegistration,
} from '@metacircular/mcdsl';
import { mciasAccessTable } from './access-table.js';
import { buildCore, type RateLimits } from './build-core.js';
import { systemClock, type Clock } from './clock.js';
import { loadMciasConfig, type MciasConfig } from './config.js';
import type { Core } from './core.js';
import {
  accountService,
  adminService,
  auditService,
  authService,
  installPeerAddressHook,
  policyService,
  tokenService,
  webAuthnService,
} from './grpc/index.js';
import { migrations } from './store/index.js';
import { createAuthenticate } from './tokens/index.js';
import { unsealAtStartup } from './unseal-at-startup.js';
import { registerWebRoutes } from './web/index.js';

/** StartOptions configure startServer; everything but `config` exists for tests and embedders. */
export interface StartOptions {
  /** the validated config, or the path of mcias.toml */
  readonly config: MciasConfig | string;
  /** where the master passphrase is read from (default process.env) */
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: Clock;
  readonly logger?: Logger;
  readonly rateLimits?: Partial<RateLimits>;
}

/** Endpoint is where a listener is bound, with its base URL. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly url: string;
}

/** RunningMcias is a started server. */
export interface RunningMcias {
  readonly config: MciasConfig;
  readonly core: Core;
  readonly rest: Endpoint;
  /** absent when `[server] grpc_addr` is not set */
  readonly grpc: Endpoint | undefined;
  readonly http: HttpServer;
  readonly services: readonly ServiceRegistration[];
  readonly access: AccessTable;
  /** stop closes both listeners (draining), seals the vault and closes the database; idempotent */
  stop(): Promise<void>;
}

/**
 * startServer is the composition root of MCIAS, top down:
 *   config -> logger -> TLS files -> database (migrated) -> core (sealed vault) -> unseal with
 *   the configured key if it is there -> RPC services -> access table -> REST + gRPC listeners.
 * Signals are the CLI's business (cli/server-command.ts), so tests can start and stop freely.
 */
export async function startServer(opts: StartOptions): Promise<RunningMcias> {
  const env = opts.env ?? process.env;
  const config = typeof opts.config === 'string' ? loadMciasConfig(opts.config, env) : opts.config;
  const logger = opts.logger ?? createLogger({ service: 'mcias', level: config.log.level });
  const now = opts.now ?? systemClock;
  const tls = await loadTLSFiles({ cert: config.server.tls_cert, key: config.server.tls_key });

  const db = openDatabase(config.database.path);
  const cleanups: Array<() => unknown> = [() => db.close()];
  try {
    migrate(db, migrations);
    const core = buildCore({ config, db, now, logger, ...(opts.rateLimits ? { rateLimits: opts.rateLimits } : {}) });
    cleanups.unshift(() => core.vault.seal());
    await unsealAtStartup(core, env);
    core.stores.tokens.pruneExpired(now());
    const pruner = setInterval(() => core.stores.tokens.pruneExpired(now()), 3_600_000);
    pruner.unref();
    cleanups.unshift(() => clearInterval(pruner));

    const services = [
      adminService(core),
      authService(core),
      tokenService(core),
      accountService(core),
      policyService(core),
      auditService(core),
      webAuthnService(core),
    ];
    const access = mciasAccessTable(services);
    const authenticate = createAuthenticate(core.tokens);
    const isSealed = (): boolean => core.vault.sealed;

    const http = createHttpServer({
      tls,
      logger,
      access,
      authenticate,
      isSealed,
      timeouts: { readMs: config.server.read_timeout, writeMs: config.server.write_timeout, idleMs: config.server.idle_timeout },
    });
    cleanups.unshift(() => http.close());
    installPeerAddressHook(http.app);
    registerTranscodedRoutes(http.app, services);
    await registerWebRoutes(http.app, { core, services, access, authenticate, isSealed });
    const restBound = await http.listen(config.server.listen_addr);
    const rest = endpoint(restBound);
    core.passkeys.listening(rest.port);

    let grpc: Endpoint | undefined;
    if (config.server.grpc_addr !== undefined) {
      const grpcServer: GrpcServer = createGrpcServer({
        tls,
        services: [...services, grpcHealthService(() => void db.prepare('SELECT 1').get())],
        access,
        authenticate,
        isSealed,
        logger,
      });
      cleanups.unshift(() => grpcServer.close());
      grpc = endpoint(await grpcServer.listen(config.server.grpc_addr));
    }
    logger.info({ rest: rest.url, grpc: grpc?.url, sealed: core.vault.sealed }, 'mcias started');

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => (stopping ??= runCleanups(cleanups));
    return { config, core, rest, grpc, http, services, access, stop };
  } catch (err) {
    await runCleanups(cleanups);
    throw err;
  }
}

async function runCleanups(cleanups: ReadonlyArray<() => unknown>): Promise<void> {
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch {
      // keep going: the database must be closed and the keys dropped whatever else failed
    }
  }
}

function endpoint(bound: { host: string; port: number }): Endpoint {
  const host =
    bound.host === '::' || bound.host === '0.0.0.0' ? 'localhost' : bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  return { host: bound.host, port: bound.port, url: `https://${host}:${bound.port}` };
}
