import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { createContextValues, type Interceptor } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { Logger } from 'pino';
import type { AccessTable, Authenticate } from '../access/index.js';
import { McError } from '../errors/index.js';
import { accessInterceptor, type RefusalListener } from './access-interceptor.js';
import { peerAddressKey, procedureOf, type ServiceRegistration } from './service-registration.js';
import { parseListenAddress } from '../httpserver/listen-address.js';

/** GrpcServerOptions configures createGrpcServer. */
export interface GrpcServerOptions {
  /** TLS material (cert, key, optional ca); the server speaks TLS 1.3 only */
  readonly tls: SecureContextOptions;
  readonly services: readonly ServiceRegistration[];
  /** every RPC must have a row here; an unlisted RPC is refused with PERMISSION_DENIED */
  readonly access: AccessTable;
  readonly authenticate?: Authenticate;
  readonly isSealed?: () => boolean;
  readonly logger?: Logger;
  /** largest request message accepted, in bytes (default 4 MiB) */
  readonly readMaxBytes?: number;
  /** more interceptors (rate limits, metrics), run after the access check, in this order */
  readonly interceptors?: readonly Interceptor[];
  /**
   * told once about each call the access check refuses (no rule, sealed, no or bad token,
   * guest, not admin), for an audit trail; what it throws is logged, never sent to the caller
   */
  readonly onRefused?: RefusalListener;
}

/** GrpcServer is a running (or ready to run) gRPC endpoint. */
export interface GrpcServer {
  /** listen binds "host:port" (port 0 picks a free one) and resolves with the bound address */
  listen(address: string): Promise<{ host: string; port: number }>;
  /** close stops accepting, lets in-flight calls finish, then closes every session */
  close(): Promise<void>;
  /** procedures lists every RPC the server serves, as access-table keys */
  procedures(): string[];
}

/**
 * createGrpcServer serves Connect, gRPC and gRPC-Web over HTTP/2 with TLS 1.3. The access table
 * is enforced by the first interceptor, so a handler never runs for a caller the table refuses.
 * Constructing the server does no I/O; listen() binds.
 */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const shutdown = new AbortController();
  const logger = options.logger;
  const handler = connectNodeAdapter({
    routes: (router) => {
      for (const reg of options.services) router.service(reg.service, reg.impl);
    },
    interceptors: [
      accessInterceptor(
        options.access,
        { authenticate: options.authenticate, isSealed: options.isSealed },
        (procedure, err) => {
          if (err instanceof McError) logger?.debug({ procedure, code: err.code }, 'rpc refused');
          else logger?.error({ procedure, err }, 'rpc failed');
        },
        options.onRefused,
      ),
      ...(options.interceptors ?? []),
    ],
    contextValues: (req) => {
      const values = createContextValues();
      values.set(peerAddressKey, req.socket.remoteAddress);
      return values;
    },
    shutdownSignal: shutdown.signal,
    readMaxBytes: options.readMaxBytes ?? 4 * 1024 * 1024,
  });
  const server = http2.createSecureServer(
    { ...options.tls, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', allowHTTP1: false },
    handler,
  );
  // Idle HTTP/2 sessions are closed after 120 s, the platform's idle timeout.
  server.setTimeout(120_000);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });

  return {
    async listen(address) {
      const { host = '0.0.0.0', port } = parseListenAddress(address, 'grpc listen address');
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const bound = server.address() as AddressInfo;
      return { host: bound.address, port: bound.port };
    },
    async close() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.close();
      shutdown.abort();
      await closed;
    },
    procedures() {
      return options.services.flatMap((reg) => reg.service.methods.map((m) => procedureOf(reg.service, m.name)));
    },
  };
}
