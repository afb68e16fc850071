import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import {
  Authenticator,
  createGrpcServer,
  createHttpServer,
  createLogger,
  grpcHealthService,
  InvalidRequestError,
  loadTLSFiles,
  openDatabase,
  registerTranscodedRoutes,
  type AccessTable,
  type HttpServer,
  type Logger,
  type ServiceRegistration,
  type SqliteDatabase,
} from '@metacircular/mcdsl';
import { mcnsAccessTable } from './access-table.js';
import { loadMcnsConfig, seedOf, serviceName, type McnsConfig } from './config.js';
import { startDnsServer } from './dns/index.js';
import { adminService, answerCreatedWith201, authService, recordService, zoneService } from './grpc/index.js';
import { openMcnsStore, type McnsStore } from './store/index.js';

/** StartOptions configure startServer; everything but `config` exists for tests and embedders. */
export interface StartOptions {
  /** the validated config, or the path of mcns.toml */
  readonly config: McnsConfig | string;
  /** the environment config overrides are read from (default process.env) */
  readonly env?: NodeJS.ProcessEnv;
  readonly logger?: Logger;
}

/** Endpoint is where a listener is bound, with its base URL. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly url: string;
}

/** DnsAddress is one bound DNS listener (UDP and TCP on the same port). */
export interface DnsAddress {
  readonly host: string;
  readonly port: number;
}

/** RunningMcns is a started server. */
export interface RunningMcns {
  readonly config: McnsConfig;
  readonly db: SqliteDatabase;
  readonly store: McnsStore;
  readonly rest: Endpoint;
  /** absent when `[server] grpc_addr` is not set */
  readonly grpc: Endpoint | undefined;
  /** every DNS listener, in `[dns] listen_addr` order */
  readonly dns: readonly DnsAddress[];
  readonly http: HttpServer;
  readonly services: readonly ServiceRegistration[];
  readonly access: AccessTable;
  /** stop closes DNS, gRPC and REST (draining), the MCIAS client and the database; idempotent */
  stop(): Promise<void>;
}

/** restBodyLimit bounds a REST request body: a record or zone is well under 8 KiB, TXT included. */
export const restBodyLimit = 64 * 1024;

/**
 * startServer is the composition root of MCNS, top down (spec 2.12):
 *   config -> logger -> TLS files -> database -> store (migrated) -> seed from config ->
 *   MCIAS client -> RPC services -> access table -> DNS, REST and gRPC listeners.
 * Signals are the CLI's business (cli/server-command.ts), so tests can start and stop freely.
 * A failure part-way closes whatever was already opened, in reverse order.
 */
export async function startServer(opts: StartOptions): Promise<RunningMcns> {
  const env = opts.env ?? process.env;
  const config = typeof opts.config === 'string' ? loadMcnsConfig(opts.config, env) : opts.config;
  const logger = opts.logger ?? createLogger({ service: serviceName, level: config.log.level });
  const tls = await loadTLSFiles(
    { cert: config.server.tls_cert, key: config.server.tls_key },
    { cert: '[server] tls_cert', key: '[server] tls_key' },
  );
  const caCert = config.mcias.ca_cert === '' ? undefined : await readMciasCA(config.mcias.ca_cert);

  const db = openDatabase(config.database.path);
  const cleanups: Array<() => unknown> = [() => db.close()];
  try {
    const store = openMcnsStore(db);
    store.seed(seedOf(config));

    const authenticator = new Authenticator(
      {
        serverUrl: config.mcias.server_url,
        serviceName: config.mcias.service_name,
        tags: config.mcias.tags,
        ...(caCert ? { caCert } : {}),
      },
      { logger },
    );
    cleanups.unshift(() => authenticator.close());

    const services = [adminService(db), authService(authenticator), zoneService(store), recordService(store)];
    const access = mcnsAccessTable(services);
    const authenticate = authenticator.authenticate;

    const dnsServer = await startDnsServer({ store, config: config.dns, logger, databasePath: config.database.path });
    cleanups.unshift(() => dnsServer.close());

    const http = createHttpServer({
      tls,
      logger,
      access,
      authenticate,
      bodyLimit: restBodyLimit,
      timeouts: { readMs: config.server.read_timeout, writeMs: config.server.write_timeout, idleMs: config.server.idle_timeout },
    });
    cleanups.unshift(() => http.close());
    answerCreatedWith201(http.app, services);
    registerTranscodedRoutes(http.app, services);
    const rest = endpoint(await http.listen(config.server.listen_addr));

    let grpc: Endpoint | undefined;
    if (config.server.grpc_addr !== undefined) {
      const grpcServer = createGrpcServer({
        tls,
        services: [...services, grpcHealthService(() => void db.prepare('SELECT 1').get())],
        access,
        authenticate,
        logger,
      });
      cleanups.unshift(() => grpcServer.close());
      grpc = endpoint(await grpcServer.listen(config.server.grpc_addr));
    }
    const dns = dnsServer.addresses.map(({ host, port }) => ({ host, port }));
    logger.info({ rest: rest.url, grpc: grpc?.url, dns, zones: store.listZones().map((z) => z.name) }, 'mcns started');

    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => (stopping ??= runCleanups(cleanups));
    return { config, db, store, rest, grpc, dns, http, services, access, stop };
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
      // keep going: the database must be closed whatever else failed
    }
  }
}

function endpoint(bound: { host: string; port: number }): Endpoint {
  const host =
    bound.host === '::' || bound.host === '0.0.0.0' ? 'localhost' : bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  return { host: bound.host, port: bound.port, url: `https://${host}:${bound.port}` };
}

// Read and parsed before any listener opens, so a wrong [mcias] ca_cert stops MCNS with a
// message naming the key instead of refusing every token later.
async function readMciasCA(path: string): Promise<Buffer> {
  const fail = (why: string, cause?: unknown): InvalidRequestError =>
    new InvalidRequestError(`[mcias] ca_cert: "${path}" ${why}; point it at the pem certificate of the CA that signs mcias`, {
      code: 'ERR_TLS_FILE',
      cause,
    });
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (err) {
    throw fail((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read', err);
  }
  try {
    new X509Certificate(pem);
  } catch (err) {
    throw fail('is not a pem certificate', err);
  }
  return pem;
}
