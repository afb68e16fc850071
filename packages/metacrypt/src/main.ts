import { readFile } from 'node:fs/promises';
import {
  createGrpcServer,
  createHttpServer,
  createLogger,
  grpcHealthService,
  InvalidRequestError,
  loadTLSFiles,
  migrate,
  missingAccessRules,
  openDatabase,
  registerHealthRoute,
  registerTranscodedRoutes,
  type AccessTable,
  type GrpcServer,
  type HttpServer,
  type Logger,
  type ServiceRegistration,
} from '@metacircular/mcdsl';
import { metacryptAccessTable } from './access-table.js';
import { auditedServices, auditRestRefusals, grpcRefusalAuditor } from './audit/index.js';
import { buildCore } from './build-core.js';
import { loadMetacryptConfig, type MetacryptConfig } from './config.js';
import type { Core } from './core.js';
import type { EngineModule } from './engine/index.js';
import { engineModules } from './engines/index.js';
import { auditService, authService, mountService, snapshotService, systemService } from './grpc/index.js';
import { policyService } from './policy/index.js';
import type { UnsealThrottleOptions } from './seal/index.js';
import { migrations } from './store/index.js';
import { unsealAtStartup } from './unseal-at-startup.js';
import { startWebServer } from './web/index.js';

/** StartOptions configure startServer; everything but `config` exists for tests and embedders. */
export interface StartOptions {
  /** the validated config, or the path of metacrypt.toml */
  readonly config: MetacryptConfig | string;
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
  readonly now?: () => Date;
  /** the engine types served; default every module in engines/index.ts */
  readonly modules?: readonly EngineModule[];
  /** failed-unseal limits (tests pass a frozen clock) */
  readonly unsealThrottle?: UnsealThrottleOptions;
}

/** Endpoint is where a listener is bound, with its base URL. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly url: string;
}

/** RunningMetacrypt is a started server. */
export interface RunningMetacrypt {
  readonly config: MetacryptConfig;
  readonly core: Core;
  readonly rest: Endpoint;
  /** absent when `[server] grpc_addr` is not set */
  readonly grpc: Endpoint | undefined;
  /** present when `[web]` is configured */
  readonly web: Endpoint | undefined;
  readonly http: HttpServer;
  /** every RPC service as served (audited) */
  readonly services: readonly ServiceRegistration[];
  readonly access: AccessTable;
  /** stop closes both listeners (draining), seals (zeroing every key) and closes the database; idempotent */
  stop(): Promise<void>;
}

/**
 * startServer is the composition root of Metacrypt, top down:
 *   config -> logger -> TLS files -> database (migrated) -> core (sealed) -> RPC services (core,
 *   policy, every engine module's), each wrapped to write its audit record -> access table ->
 *   REST (transcoded RPCs, health, engines' raw routes; the table must cover every route) ->
 *   gRPC -> listen.
 * Signals are the CLI's business (cli/server-command.ts), so tests can start and stop freely.
 */
export async function startServer(opts: StartOptions): Promise<RunningMetacrypt> {
  const env = opts.env ?? process.env;
  const config = typeof opts.config === 'string' ? loadMetacryptConfig(opts.config, env) : opts.config;
  const logger = opts.logger ?? createLogger({ service: 'metacrypt', level: config.log.level });
  const now = opts.now ?? (() => new Date());
  const modules = opts.modules ?? engineModules;
  const tls = await loadTLSFiles({ cert: config.server.tls_cert, key: config.server.tls_key });
  const mciasCaCert = config.mcias.ca_cert ? await readFile(config.mcias.ca_cert) : undefined;

  const db = openDatabase(config.database.path);
  const cleanups: Array<() => unknown> = [() => db.close()];
  try {
    migrate(db, migrations);
    const core = buildCore({
      config,
      db,
      logger,
      now,
      modules,
      ...(mciasCaCert ? { mciasCaCert } : {}),
      ...(opts.unsealThrottle ? { unsealThrottle: opts.unsealThrottle } : {}),
    });
    cleanups.unshift(() => core.audit.flush());
    cleanups.unshift(() => core.seal.seal());
    await unsealAtStartup(core, config.seal.unseal_password_file);

    const services = auditedServices(
      [
        systemService(core),
        authService(core),
        mountService(core),
        policyService(() => core.policy),
        auditService(core),
        snapshotService(core),
        ...modules.flatMap((m) => m.services(core.host)),
      ],
      core.audit,
      logger,
    );
    const access = metacryptAccessTable(services, modules);
    const authenticate = core.authenticator.authenticate;
    const isSealed = (): boolean => core.barrier.state !== 'unsealed';
    const ping = (): void => void db.prepare('SELECT 1').get();

    const http = createHttpServer({
      tls,
      logger,
      access,
      authenticate,
      isSealed,
      timeouts: { readMs: config.server.read_timeout, writeMs: config.server.write_timeout, idleMs: config.server.idle_timeout },
    });
    cleanups.unshift(() => http.close());
    auditRestRefusals(http.app, core.audit);
    registerTranscodedRoutes(http.app, services);
    registerHealthRoute(http.app, { check: ping });
    for (const m of modules) await m.registerHttp?.(http.app, core.host);
    await assertComplete(http, access, services);
    const rest = endpoint(await http.listen(config.server.listen_addr));

    let grpc: Endpoint | undefined;
    if (config.server.grpc_addr !== undefined) {
      const grpcServer: GrpcServer = createGrpcServer({
        tls,
        services: [...services, grpcHealthService(ping)],
        access,
        authenticate,
        isSealed,
        logger,
        onRefused: grpcRefusalAuditor(core.audit, logger),
      });
      cleanups.unshift(() => grpcServer.close());
      grpc = endpoint(await grpcServer.listen(config.server.grpc_addr));
    }

    // The web UI is a client of the gRPC API (it does no authorization of its own), served on
    // its own listener when [web] is configured; see ARCHITECTURE.md.
    let web: Endpoint | undefined;
    if (config.web !== undefined) {
      if (grpc === undefined)
        throw new InvalidRequestError('[web] needs [server] grpc_addr: the web UI talks to the API over gRPC');
      const webTls =
        config.web.tls_cert !== '' ? await loadTLSFiles({ cert: config.web.tls_cert, key: config.web.tls_key }) : tls;
      const grpcCa = config.web.vault_ca_cert !== '' ? await readFile(config.web.vault_ca_cert) : (mciasCaCert ?? tls.cert);
      const server = await startWebServer({ listenAddr: config.web.listen_addr, tls: webTls, grpcUrl: grpc.url, grpcCa, logger });
      cleanups.unshift(() => server.close());
      web = endpoint({ host: new URL(server.url).hostname.replace(/^\[|\]$/g, ''), port: server.port });
    }
    logger.info({ rest: rest.url, grpc: grpc?.url, web: web?.url, state: core.seal.state }, 'metacrypt started');

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => (stopping ??= runCleanups(cleanups));
    return { config, core, rest, grpc, web, http, services, access, stop };
  } catch (err) {
    await runCleanups(cleanups);
    throw err;
  }
}

/**
 * assertComplete refuses to start when a REST route or an RPC has no access rule, or a REST
 * rule matches no route: default deny would refuse the route anyway, but a gap is a bug.
 */
async function assertComplete(http: HttpServer, access: AccessTable, services: readonly ServiceRegistration[]): Promise<void> {
  const { unlisted, unused } = await missingAccessRules(http.app, access);
  const rpcs = services.flatMap((s) => s.service.methods.map((m) => `/${s.service.typeName}/${m.name}`));
  const problems = [
    ...unlisted.map((k) => `route "${k}" has no access rule`),
    ...unused.map((k) => `access rule "${k}" matches no route`),
    ...rpcs.filter((k) => !Object.hasOwn(access, k)).map((k) => `rpc "${k}" has no access rule`),
  ];
  if (problems.length > 0) throw new Error(`metacrypt access table is incomplete:\n  ${problems.join('\n  ')}`);
}

async function runCleanups(cleanups: ReadonlyArray<() => unknown>): Promise<void> {
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch {
      // keep going: the keys must be zeroed and the database closed whatever else failed
    }
  }
}

function endpoint(bound: { host: string; port: number }): Endpoint {
  const host =
    bound.host === '::' || bound.host === '0.0.0.0' ? 'localhost' : bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  return { host: bound.host, port: bound.port, url: `https://${host}:${bound.port}` };
}
