import type { CaSettings } from './ca-config.js';
import type { CaKeyring } from './ca-keyring.js';
import type { CaStore } from './ca-store.js';

/** CaContext is what every CA operation works with: the mount's store, its keyring, its settings and the clock. */
export interface CaContext {
  readonly mount: string;
  readonly store: CaStore;
  readonly keyring: CaKeyring;
  readonly settings: CaSettings;
  readonly now: () => Date;
}

/** issuerResource is the policy resource of an issuer (actions issue, sign-csr, renew). */
export function issuerResource(mount: string, issuer: string): string {
  return `ca/${mount}/issuer/${issuer}`;
}

/** certsResource is the policy resource of a mount's certificates (actions read, list, revoke). */
export function certsResource(mount: string): string {
  return `ca/${mount}/certs`;
}

/** crlUrl is the public CRL URL of an issuer (or of the root when issuer is undefined), when the mount has a base URL. */
export function crlUrl(base: string | undefined, mount: string, issuer: string | undefined): string | undefined {
  if (base === undefined) return undefined;
  const m = encodeURIComponent(mount);
  return issuer === undefined ? `${base}/v1/pki/${m}/crl` : `${base}/v1/pki/${m}/issuer/${encodeURIComponent(issuer)}/crl`;
}
