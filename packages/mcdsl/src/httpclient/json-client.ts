import https from 'node:https';
import { UnavailableError } from '../errors/index.js';

/** JsonClientOptions configures createJsonClient. */
export interface JsonClientOptions {
  /** e.g. "https://mcias.svc.mcp.example.net:8443"; only https is accepted */
  readonly baseUrl: string;
  /** PEM of the CA that signs the server's certificate; omitted means the system roots */
  readonly ca?: string | Buffer;
  /** per-request deadline in milliseconds (default 10 s) */
  readonly timeoutMs?: number;
  /** largest response body read, in bytes (default 4 MiB) */
  readonly maxResponseBytes?: number;
}

/** JsonResponse is a decoded reply: the status and the parsed JSON body (undefined when empty). */
export interface JsonResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** JsonClient sends JSON requests to one service. */
export interface JsonClient {
  request<T = unknown>(method: string, path: string, options?: { body?: unknown; token?: string }): Promise<JsonResponse<T>>;
  /** close drops the keep-alive connections */
  close(): void;
}

/**
 * createJsonClient is the small HTTPS JSON client the platform's service clients are built on:
 * TLS 1.3 only, a pinned CA when given, keep-alive, a deadline and a response size limit. It
 * never puts the token in an error message. Transport failures become UnavailableError; HTTP
 * error statuses are returned to the caller, which knows what they mean for its API.
 */
export function createJsonClient(options: JsonClientOptions): JsonClient {
  const base = new URL(options.baseUrl);
  if (base.protocol !== 'https:') throw new UnavailableError(`${options.baseUrl}: only https URLs are supported`);
  const agent = new https.Agent({
    keepAlive: true,
    minVersion: 'TLSv1.3',
    ...(options.ca ? { ca: options.ca } : {}),
  });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;

  return {
    request<T>(method: string, path: string, opts: { body?: unknown; token?: string } = {}) {
      const url = new URL(path, base);
      const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
      const headers: Record<string, string> = { accept: 'application/json' };
      if (payload) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(payload.length);
      }
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      return new Promise<JsonResponse<T>>((resolve, reject) => {
        const req = https.request(url, { method, agent, headers, timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              req.destroy(new UnavailableError(`${method} ${url.origin}${url.pathname}: response larger than ${maxBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown;
            try {
              body = text === '' ? undefined : JSON.parse(text);
            } catch {
              reject(
                new UnavailableError(`${method} ${url.origin}${url.pathname}: response is not JSON (status ${res.statusCode})`),
              );
              return;
            }
            resolve({ status: res.statusCode ?? 0, body: body as T });
          });
          res.on('error', reject);
        });
        req.on('timeout', () =>
          req.destroy(new UnavailableError(`${method} ${url.origin}${url.pathname}: no answer within ${timeoutMs} ms`)),
        );
        req.on('error', (err) => {
          reject(
            err instanceof UnavailableError
              ? err
              : new UnavailableError(`${method} ${url.origin}${url.pathname}: ${err.message}`, { cause: err }),
          );
        });
        req.end(payload);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
