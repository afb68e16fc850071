import { request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { InvalidRequestError } from '@metacircular/mcdsl';

/** HealthResult says whether a probe passed and, either way, what it saw (for error messages). */
export interface HealthResult {
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * probeHealth checks one health URL once. `https:` must answer 2xx over TLS 1.3 with a
 * certificate that chains to `ca` (the platform root) and names the host: verification is
 * never switched off. `http:` must answer 2xx; `tcp:` must accept a connection.
 */
export async function probeHealth(url: string, opts: { ca: string; timeoutMs?: number }): Promise<HealthResult> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const parsed = new URL(url);
  if (parsed.protocol === 'tcp:') return probeTCP(parsed.hostname, Number(parsed.port), timeoutMs);
  if (parsed.protocol === 'https:') {
    return probeHTTP(() =>
      httpsRequest(parsed, { ca: opts.ca, minVersion: 'TLSv1.3', rejectUnauthorized: true, agent: false, timeout: timeoutMs }),
    );
  }
  if (parsed.protocol === 'http:') return probeHTTP(() => httpRequest(parsed, { agent: false, timeout: timeoutMs }));
  throw new InvalidRequestError(`health URL '${url}' has an unsupported scheme; use https:, http: or tcp:`);
}

function probeHTTP(open: () => ClientRequest): Promise<HealthResult> {
  return new Promise((resolve) => {
    const req = open();
    req.once('response', (res: IncomingMessage) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve({ ok: status >= 200 && status < 300, detail: `HTTP ${status}` });
    });
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, detail: err.code ?? err.message }));
    req.end();
  });
}

function probeTCP(host: string, port: number, timeoutMs: number): Promise<HealthResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true, detail: 'accepting connections' });
    });
    socket.once('timeout', () => socket.destroy(new Error('timed out')));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, detail: err.code ?? err.message }));
  });
}
