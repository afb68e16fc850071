import { InvalidRequestError } from '@metacircular/mcdsl';

/**
 * AcmeSettings is the `[acme]` section of metacrypt.toml as config.ts parses it (snake_case keys,
 * so the parsed section can be passed as is). Every key is optional here; missing keys take the
 * defaults below.
 */
export interface AcmeSettings {
  /** serve the ACME endpoints; default true (when false every /acme route answers 404) */
  readonly enabled?: boolean;
  /** the base URL clients reach Metacrypt at, e.g. "https://metacrypt.svc.mcp.example.net:8443"; default "" = taken from each request's Host header */
  readonly external_url?: string;
  /** "host" or "host:port" of the DNS server DNS-01 (and HTTP-01 name resolution) asks; default "" = the system resolver */
  readonly dns_resolver?: string;
  /** the port HTTP-01 validation connects to; default 80 */
  readonly http01_port?: number;
  /** connect HTTP-01 validation to this address instead of resolving the name (tests, single-machine setups); default "" */
  readonly http01_address?: string;
}

/** AcmeConfig is AcmeSettings with every default filled in, as the ACME server uses it. */
export interface AcmeConfig {
  readonly enabled: boolean;
  /** without a trailing slash; '' means "derive from the request" */
  readonly externalUrl: string;
  readonly dnsResolver: string;
  readonly http01Port: number;
  readonly http01Address: string;
  /** how long one challenge validation may take (connect, read, DNS) */
  readonly validationTimeoutMs: number;
}

/**
 * acmeConfig fills in the defaults of an `[acme]` section and checks the values config.ts cannot
 * know about (URL shape, port range).
 */
export function acmeConfig(
  settings: AcmeSettings = {},
  overrides: Partial<Pick<AcmeConfig, 'validationTimeoutMs'>> = {},
): AcmeConfig {
  const externalUrl = (settings.external_url ?? '').replace(/\/+$/, '');
  if (externalUrl !== '') {
    let url: URL;
    try {
      url = new URL(externalUrl);
    } catch {
      throw new InvalidRequestError(
        `acme.external_url "${externalUrl}" is not a URL; use e.g. "https://metacrypt.example.net:8443"`,
      );
    }
    if (url.protocol !== 'https:' || url.search !== '' || url.hash !== '')
      throw new InvalidRequestError(`acme.external_url "${externalUrl}" must be an https URL without query or fragment`);
  }
  const http01Port = settings.http01_port ?? 80;
  if (!Number.isInteger(http01Port) || http01Port < 1 || http01Port > 65535)
    throw new InvalidRequestError(`acme.http01_port ${http01Port} must be a port number (1-65535)`);
  return {
    enabled: settings.enabled ?? true,
    externalUrl,
    dnsResolver: settings.dns_resolver ?? '',
    http01Port,
    http01Address: settings.http01_address ?? '',
    validationTimeoutMs: overrides.validationTimeoutMs ?? 10_000,
  };
}
