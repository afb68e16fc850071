import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Server as HTTPSServer } from 'node:https';
import { fastify, LogController } from 'fastify';
import type { FastifyBaseLogger, FastifyInstance, FastifyServerOptions } from 'fastify';
import type { AccessTable, Authenticate } from '../access/index.js';
import { UnavailableError } from '../errors/index.js';
import { serverTLSOptions } from '../tls/index.js';
import type { TLSMaterial } from '../tls/index.js';
import { installErrorReplies } from './error-reply.js';
import { parseListenAddress } from './listen-address.js';
import { accessHook, trackRoutes } from './route-access.js';
import { onShutdownSignals } from './shutdown-signals.js';
import type { ShutdownSignalOptions, ShutdownSignals } from './shutdown-signals.js';

/** ServerTimeouts bound how long a slow or idle peer can hold a connection. */
export interface ServerTimeouts {
  /** whole request, headers included, must arrive within this (default 30 s) */
  readonly readMs: number;
  /** the socket may sit silent this long while a request is being served (default 30 s) */
  readonly writeMs: number;
  /** an idle keep-alive connection is closed after this (default 120 s) */
  readonly idleMs: number;
}

/** HttpServerOptions configure one HTTPS listener of a service. */
export interface HttpServerOptions {
  readonly tls: TLSMaterial;
  /** a pino logger; absent means no logging */
  readonly logger?: FastifyBaseLogger;
  /** every route must be listed here; unlisted routes answer 403 */
  readonly access: AccessTable;
  /** turns a bearer token into a Caller; without it only public routes can succeed */
  readonly authenticate?: Authenticate;
  /** routes marked `unsealed` answer 503 while this returns true */
  readonly isSealed?: () => boolean;
  readonly timeouts?: Partial<ServerTimeouts>;
  /** largest accepted request body in bytes (default 1 MiB); larger answers 413 */
  readonly bodyLimit?: number;
}

/** BoundAddress is where the listener actually is (port 0 resolved). */
export interface BoundAddress {
  readonly host: string;
  readonly port: number;
}

/** HttpServer is a fastify app behind a TLS 1.3-only HTTPS listener with the platform's rules. */
export interface HttpServer {
  /** register routes here, before listen() */
  readonly app: FastifyInstance;
  /** listen binds `host:port`, `:port` (every interface) or `[ipv6]:port` */
  listen(addr: string): Promise<BoundAddress>;
  /**
   * close stops accepting connections, lets in-flight requests finish (new requests on open
   * connections answer 503), then closes; after `graceMs` (default 30 s) it cuts what is left.
   */
  close(opts?: { graceMs?: number }): Promise<void>;
  /**
   * handleSignals closes the server and then runs `onStop` (close the database, zero secrets)
   * on SIGINT/SIGTERM; a second signal exits at once. Calling it again changes nothing.
   * Resolves when the shutdown is done.
   */
  handleSignals(onStop?: () => void | Promise<void>, opts?: ShutdownSignalOptions): Promise<void>;
  /** reloadTLS swaps the certificate for new connections, e.g. after a renewal */
  reloadTLS(material: TLSMaterial): void;
}

const defaultTimeouts: ServerTimeouts = { readMs: 30_000, writeMs: 30_000, idleMs: 120_000 };

/**
 * createHttpServer builds the HTTPS server every service uses. A request flows through:
 *   1. TLS 1.3 handshake (older versions are refused by the listener itself)
 *   2. onRequest: 503 while closing, then the access table (enforceAccess), before the body
 *      is read; the caller lands on `request.caller`
 *   3. body parsing (bodyLimit, JSON), schema validation, preHandler hooks, the handler
 *   4. any error on the way becomes `{"error": "..."}` with the status of its category
 */
export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const timeouts = { ...defaultTimeouts, ...opts.timeouts };
  const serverOptions: FastifyServerOptions & { https: object } = {
    https: { ...serverTLSOptions(opts.tls), handshakeTimeout: timeouts.readMs },
    requestTimeout: timeouts.readMs,
    // node resets a socket's timeout to server.timeout while a request is in progress and to
    // keepAliveTimeout between requests, so this is the in-request inactivity limit.
    connectionTimeout: timeouts.writeMs,
    keepAliveTimeout: timeouts.idleMs,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    // our own onRequest hook answers 503 during shutdown, in the platform's error shape
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    // fastify's two info lines per request cost about a quarter of a busy service's CPU (JSON,
    // redaction, a synchronous write each); requestLog below writes one line, at debug level
    // unless the response is a server error.
    logController: new LogController({ disableRequestLogging: true }),
  };
  const app = fastify(serverOptions) as unknown as FastifyInstance;
  const httpsServer = app.server as unknown as HTTPSServer;
  httpsServer.headersTimeout = timeouts.readMs;

  let closing: Promise<void> | undefined;
  let signals: ShutdownSignals | undefined;

  trackRoutes(app);
  app.decorateRequest('caller', undefined);
  installErrorReplies(app);
  const enforce = accessHook(opts.access, {
    ...(opts.authenticate ? { authenticate: opts.authenticate } : {}),
    ...(opts.isSealed ? { isSealed: opts.isSealed } : {}),
  });
  app.addHook('onRequest', async (request, reply) => {
    if (closing) {
      void reply.header('connection', 'close');
      throw new UnavailableError('server is shutting down', { code: 'ERR_SHUTTING_DOWN' });
    }
    await enforce(request);
  });
  if (opts.logger) requestLog(app);
  // A response finishing during shutdown closes its connection, so draining ends promptly.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });

  const close = (closeOpts: { graceMs?: number } = {}): Promise<void> => {
    if (closing) return closing;
    const cutoff = setTimeout(() => httpsServer.closeAllConnections(), closeOpts.graceMs ?? 30_000);
    cutoff.unref();
    closing = app.close().finally(() => clearTimeout(cutoff));
    return closing;
  };

  return {
    app,
    async listen(addr) {
      const { host, port } = parseListenAddress(addr);
      await app.listen({ host: host ?? anyAddress(), port });
      const bound = httpsServer.address() as AddressInfo;
      return { host: bound.address, port: bound.port };
    },
    close,
    handleSignals(onStop, signalOpts) {
      signals ??= onShutdownSignals(
        async () => {
          await close();
          await onStop?.();
        },
        { log: app.log, ...signalOpts },
      );
      return signals.stopped;
    },
    reloadTLS(material) {
      httpsServer.setSecureContext(serverTLSOptions(material));
    },
  };
}

// ":8443" means every interface: dual-stack "::" where the host has IPv6, else "0.0.0.0"
// (containers often run without IPv6, where binding "::" fails).
function anyAddress(): string {
  const hasIPv6 = Object.values(networkInterfaces()).some((addrs) => addrs?.some((a) => a.family === 'IPv6'));
  return hasIPv6 ? '::' : '0.0.0.0';
}

/**
 * requestLog writes one line per finished request: at debug level normally, at warn for a 5xx
 * answer. Nothing is built when debug is off and the request succeeded, so a busy service pays
 * only for the level check. Headers are never logged (they carry tokens and cookies).
 */
const levelValues: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

function requestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'warn' : 'debug';
    if ((levelValues[level] ?? 0) < (levelValues[request.log.level] ?? 0)) return;
    request.log[level](
      { method: request.method, url: request.routeOptions.url ?? request.url, status, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });
}
