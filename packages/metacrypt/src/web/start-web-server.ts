import { randomBytes } from 'node:crypto';
import {
  assertAccessTableComplete,
  createCSRF,
  createHttpServer,
  type HttpServer,
  type Logger,
  type TLSMaterial,
} from '@metacircular/mcdsl';
import { connectApi } from './api-client.js';
import { webAccess } from './web-access.js';
import { sessionAuthenticator, type WebContext } from './web-context.js';
import { csrfCookieName } from './web-paths.js';
import { formBodyLimit, registerWebRoutes } from './web-routes.js';
import { registerWebStatic } from './web-static.js';

/** WebServerOptions are what the composition root hands the web UI. */
export interface WebServerOptions {
  /** `[web] listen_addr`, e.g. "127.0.0.1:8080" or ":8080" */
  readonly listenAddr: string;
  /** the listener's certificate and key (TLS 1.3 only) */
  readonly tls: TLSMaterial;
  /** the API's gRPC base URL, e.g. "https://127.0.0.1:9443" */
  readonly grpcUrl: string;
  /** the only trust anchor for the API's certificate (PEM) */
  readonly grpcCa: Buffer | string;
  /** the name to verify the API's certificate against (and send as SNI); default the host of grpcUrl */
  readonly grpcServerName?: string;
  readonly logger: Logger;
  /**
   * the CSRF HMAC key (at least 32 bytes); default a random key for the life of the process,
   * so a restart only means a form rendered before it must be reloaded
   */
  readonly csrfKey?: Buffer;
}

/** RunningWebServer is a started web UI. */
export interface RunningWebServer {
  /** the listener's base URL, e.g. "https://127.0.0.1:8080" */
  readonly url: string;
  readonly port: number;
  /** the HTTPS server behind it (tests check its routes against the access table) */
  readonly http: HttpServer;
  /** close stops accepting, drains in-flight requests, then drops the gRPC connection; idempotent */
  close(): Promise<void>;
}

/**
 * startWebServer starts Metacrypt's web UI (spec §14) on its own HTTPS listener: server-rendered
 * pages and htmx, a signed double-submit CSRF check on every mutating request, the MCIAS token
 * in an HttpOnly, Secure, SameSite=Strict session cookie. It holds no data and decides nothing:
 * every page is gRPC calls to the API under the session's token. Refuses to start when a route
 * is missing from the access table; if listening fails, what was built is closed again.
 */
export async function startWebServer(opts: WebServerOptions): Promise<RunningWebServer> {
  const api = connectApi(opts.grpcUrl, opts.grpcCa, opts.grpcServerName);
  const csrf = createCSRF({ key: opts.csrfKey ?? randomBytes(32), cookieName: csrfCookieName });
  const ctx: WebContext = { api, csrf, authenticate: sessionAuthenticator(api) };
  const http = createHttpServer({ tls: opts.tls, logger: opts.logger, access: webAccess, bodyLimit: formBodyLimit });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      try {
        await http.close();
      } finally {
        api.close();
      }
    })());
  try {
    registerWebStatic(http.app);
    await registerWebRoutes(http.app, ctx);
    await assertAccessTableComplete(http.app, webAccess);
    const bound = await http.listen(opts.listenAddr);
    const host =
      bound.host === '::' || bound.host === '0.0.0.0' ? 'localhost' : bound.host.includes(':') ? `[${bound.host}]` : bound.host;
    const url = `https://${host}:${bound.port}`;
    opts.logger.info({ web: url }, 'metacrypt web ui listening');
    return { url, port: bound.port, http, close };
  } catch (err) {
    await close();
    throw err;
  }
}
