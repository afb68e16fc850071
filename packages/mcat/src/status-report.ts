import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { createJsonClient, McError, parseListenAddress } from '@metacircular/mcdsl';
import type { McatConfig } from './config.js';

/** StatusLine is one component's health as `mcat status` prints it. */
export interface StatusLine {
  readonly name: 'mcat' | 'mcias';
  readonly url: string;
  readonly ok: boolean;
  /** "ok", or what went wrong */
  readonly detail: string;
}

const timeoutMs = 5_000;

/**
 * statusReport asks the running MCAT and its MCIAS for their health, using only the config:
 *
 *   mcat   GET /v1/health on [server] listen_addr (loopback when it names every interface).
 *          The answer counts only if the server presents exactly the certificate in
 *          [server] tls_cert: pinning it needs no CA setting and proves it is this MCAT.
 *   mcias  GET /v1/health on [mcias] server_url, trusting [mcias] ca_cert, as logins do.
 */
export async function statusReport(config: McatConfig): Promise<StatusLine[]> {
  return Promise.all([mcatHealth(config), mciasHealth(config)]);
}

async function mcatHealth(config: McatConfig): Promise<StatusLine> {
  const { host, port } = parseListenAddress(config.server.listen_addr, '[server] listen_addr');
  const target = host === undefined || host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `https://${target.includes(':') ? `[${target}]` : target}:${port}`;
  try {
    const expected = new X509Certificate(await readFile(config.server.tls_cert)).fingerprint256;
    const { status, fingerprint } = await pinnedGet(`${url}/v1/health`);
    if (fingerprint !== expected)
      return { name: 'mcat', url, ok: false, detail: 'answered with a certificate other than [server] tls_cert' };
    return { name: 'mcat', url, ok: status === 200, detail: status === 200 ? 'ok' : `health answered ${status}` };
  } catch (err) {
    return { name: 'mcat', url, ok: false, detail: (err as Error).message };
  }
}

async function mciasHealth(config: McatConfig): Promise<StatusLine> {
  const url = config.mcias.server_url;
  try {
    const ca = config.mcias.ca_cert ? await readFile(config.mcias.ca_cert) : undefined;
    const client = createJsonClient({ baseUrl: url, timeoutMs, ...(ca ? { ca } : {}) });
    try {
      const res = await client.request<{ status?: unknown }>('GET', '/v1/health');
      const said = typeof res.body?.status === 'string' ? res.body.status : `status ${res.status}`;
      return { name: 'mcias', url, ok: res.status === 200, detail: res.status === 200 ? 'ok' : `health answered ${said}` };
    } finally {
      client.close();
    }
  } catch (err) {
    return { name: 'mcias', url, ok: false, detail: err instanceof McError ? err.message : (err as Error).message };
  }
}

// The certificate is compared after the handshake instead of verified against a CA, so the
// request goes out before the check; it is a GET without credentials, and its answer is only
// believed once the certificate matches.
function pinnedGet(url: string): Promise<{ status: number; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, minVersion: 'TLSv1.3', rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
