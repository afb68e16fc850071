import { Agent } from 'node:https';
import type { AgentOptions } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { TLSMaterial } from './load-tls-files.js';

/**
 * Every listener and every client of the platform speaks TLS 1.3 and nothing older: there is no
 * fallback to negotiate, so there is no downgrade to defend against.
 */
export const minTLSVersion = 'TLSv1.3' as const;

/** ServerTLSOptions are secure-context options pinned to TLS 1.3. */
export type ServerTLSOptions = SecureContextOptions & { readonly minVersion: typeof minTLSVersion };

/** ClientTLSOptions fit `https.request`, `http2.connect`, `tls.connect` and undici's `connect`. */
export type ClientTLSOptions = { readonly ca?: Buffer | string; readonly minVersion: typeof minTLSVersion };

/** serverTLSOptions turns loaded PEM material into the options of a TLS 1.3-only listener. */
export function serverTLSOptions(material: TLSMaterial): ServerTLSOptions {
  return {
    cert: material.cert,
    key: material.key,
    ...(material.ca ? { ca: material.ca } : {}),
    minVersion: minTLSVersion,
  };
}

/**
 * clientTLSOptions are the options of a TLS 1.3-only client that trusts `ca` (a private CA such
 * as the platform's own) instead of the system roots; without `ca` the system roots are used.
 * Certificate and host name verification always stay on.
 */
export function clientTLSOptions(opts: { ca?: Buffer | string } = {}): ClientTLSOptions {
  return opts.ca === undefined ? { minVersion: minTLSVersion } : { ca: opts.ca, minVersion: minTLSVersion };
}

/** httpsAgent builds a keep-alive `https.Agent` for clients of a service behind a private CA. */
export function httpsAgent(opts: { ca?: Buffer | string; keepAlive?: boolean } & Omit<AgentOptions, 'ca'> = {}): Agent {
  const { ca, keepAlive = true, ...rest } = opts;
  return new Agent({ ...rest, keepAlive, ...clientTLSOptions(ca === undefined ? {} : { ca }), rejectUnauthorized: true });
}
