import { request as httpsRequestRaw } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

/** TestResponse is a fully read response. */
export interface TestResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** json parses the body, throwing if it is not JSON */
  json<T = unknown>(): T;
}

/** TestRequestOptions describe one request; `body` objects are sent as JSON. */
export interface TestRequestOptions {
  readonly ca: string | Buffer;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer | object;
  /** the TLS server name to verify, when the URL's host is not in the certificate */
  readonly servername?: string;
}

/**
 * httpsRequest makes one real HTTPS request over a fresh connection (no agent, so nothing is
 * left open after the test) with TLS 1.3 and the given CA as the only trust anchor.
 */
export function httpsRequest(url: string | URL, opts: TestRequestOptions): Promise<TestResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  let payload: string | Buffer | undefined;
  if (typeof opts.body === 'string' || Buffer.isBuffer(opts.body)) payload = opts.body;
  else if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = httpsRequestRaw(
      url,
      {
        method: opts.method ?? 'GET',
        headers,
        ca: opts.ca,
        minVersion: 'TLSv1.3',
        agent: false,
        ...(opts.servername ? { servername: opts.servername } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
