import { readFile } from 'node:fs/promises';
import { createJsonClient, loadConfig, McError, parseListenAddress, type JsonClient } from '@metacircular/mcdsl';
import { metacryptConfigSchema } from '../config.js';

/** TargetOptions are the flags every client-side command takes. */
export interface TargetOptions {
  /** base URL of the REST API, e.g. https://127.0.0.1:8443 */
  readonly addr?: string;
  /** PEM file of the CA that signs the server's certificate */
  readonly caCert?: string;
  /** metacrypt.toml, used for the address when --addr is absent */
  readonly config?: string;
}

const defaultAddr = 'https://127.0.0.1:8443';

/**
 * apiClient builds the JSON client of a CLI command: the address from --addr, else from the
 * config's `[server] listen_addr` (an any-address listener is reached on 127.0.0.1), else
 * https://127.0.0.1:8443; the trust anchor from --ca-cert, else the system roots.
 */
export async function apiClient(opts: TargetOptions): Promise<JsonClient> {
  const baseUrl = opts.addr ?? (opts.config ? addrFromConfig(opts.config) : defaultAddr);
  if (!/^https:\/\//.test(baseUrl)) throw new Error(`--addr ${baseUrl} must be an https:// URL (no plaintext to metacrypt)`);
  const ca = opts.caCert ? await readFile(opts.caCert) : undefined;
  return createJsonClient({ baseUrl: baseUrl.replace(/\/+$/, ''), ...(ca ? { ca } : {}), timeoutMs: 60_000 });
}

function addrFromConfig(path: string): string {
  const config = loadConfig({ path, service: 'metacrypt', schema: metacryptConfigSchema });
  const { host, port } = parseListenAddress(config.server.listen_addr);
  const reachable = !host || host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `https://${reachable}:${port}`;
}

/** apiError turns a non-2xx reply into an Error carrying the server's message. */
export function apiError(what: string, res: { status: number; body: unknown }): Error {
  const message = (res.body as { error?: unknown } | undefined)?.error;
  return new Error(`${what} failed (${res.status}): ${typeof message === 'string' ? message : 'no error message'}`);
}

/** errorText is the one-line message a CLI prints for a thrown value. */
export function errorText(err: unknown): string {
  return err instanceof McError || err instanceof Error ? err.message : String(err);
}
