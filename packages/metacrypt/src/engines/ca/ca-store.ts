import type { KeyObject } from 'node:crypto';
import type { BarrierView } from '../../engine/index.js';
import type { Profile } from './ca-types.js';
import { privateKeyFromDer, type CaKeyType } from './key-material.js';

/**
 * The CA engine's storage layout inside its barrier view (engine/{mount}/...). Every value is
 * sealed with the mount's DEK, so the CA private keys never reach SQLite in the clear. Each
 * private key is its own binary entry (PKCS#8 DER), never a JSON string: a JS string cannot be
 * zeroed, a Buffer can, so the DER read or exported here is overwritten as soon as it has been
 * imported or written. Leaf private keys are never stored at all (spec Q15).
 *
 *   root             RootRecord: the root certificate (no key)
 *   keys/root        the root's private key, PKCS#8 DER
 *   root-crl         CrlRecord: the root's CRL (certificates the root signed: the issuers)
 *   issuers/{name}   IssuerRecord: an issuer's certificate and limits (no key)
 *   keys/issuers/{name}  the issuer's private key, PKCS#8 DER
 *   crl/{issuer}     CrlRecord: an issuer's CRL, regenerated on every revocation
 *   certs/{serial}   CertRecord: one issued leaf (no key)
 *   acme/...         the ACME server's state (accounts, orders, EAB), owned by acme/
 */
export const paths = {
  root: 'root',
  rootKey: 'keys/root',
  rootCrl: 'root-crl',
  issuerPrefix: 'issuers/',
  issuer: (name: string) => `issuers/${name}`,
  issuerKey: (name: string) => `keys/issuers/${name}`,
  crl: (issuer: string) => `crl/${issuer}`,
  certPrefix: 'certs/',
  cert: (serial: string) => `certs/${serial}`,
  acmePrefix: 'acme/',
} as const;

/** RootRecord is the mount's root CA. */
export interface RootRecord {
  readonly certPem: string;
  readonly keyType: CaKeyType;
  readonly imported: boolean;
  readonly createdAt: string;
}

/** IssuerRecord is one issuer (intermediate CA). */
export interface IssuerRecord {
  readonly name: string;
  readonly certPem: string;
  readonly keyType: CaKeyType;
  /** the longest leaf lifetime, ms */
  readonly maxTtlMs: number;
  readonly allowedProfiles: readonly Profile[];
  readonly permittedDnsDomains: readonly string[];
  readonly excludedDnsDomains: readonly string[];
  readonly createdAt: string;
}

/** CertSource says which operation made a certificate. */
export type CertSource = 'issue' | 'sign-csr' | 'renew' | 'acme';

/** CertRecord is one issued leaf certificate. */
export interface CertRecord {
  readonly serial: string;
  readonly issuer: string;
  readonly profile: Profile;
  readonly commonName: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  readonly keyType: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly issuedBy: string;
  readonly source: CertSource;
  readonly certPem: string;
  readonly revokedAt?: string;
  readonly revocationReason?: string;
  readonly renewedFrom?: string;
}

/** CrlEntryRecord is one revoked serial on a CRL. */
export interface CrlEntryRecord {
  readonly serial: string;
  readonly revokedAt: string;
  readonly reasonCode: number;
}

/** CrlRecord is a CA's current CRL and what it lists. */
export interface CrlRecord {
  readonly crlNumber: number;
  readonly thisUpdate: string;
  readonly nextUpdate: string;
  /** the signed CRL, DER, base64 */
  readonly der: string;
  readonly entries: readonly CrlEntryRecord[];
}

/** CaStore is typed access to the layout above. */
export class CaStore {
  constructor(readonly view: BarrierView) {}

  root(): RootRecord | undefined {
    return this.view.getJSON<RootRecord>(paths.root);
  }
  putRoot(r: RootRecord): void {
    this.view.putJSON(paths.root, r);
  }
  /** rootKey imports the root's private key (the DER read is zeroed); undefined when there is none. */
  rootKey(): KeyObject | undefined {
    return this.#readKey(paths.rootKey);
  }
  putRootKey(key: KeyObject): void {
    this.#writeKey(paths.rootKey, key);
  }
  /** issuerKey imports an issuer's private key (the DER read is zeroed); undefined when there is none. */
  issuerKey(name: string): KeyObject | undefined {
    return this.#readKey(paths.issuerKey(name));
  }
  putIssuerKey(name: string, key: KeyObject): void {
    this.#writeKey(paths.issuerKey(name), key);
  }
  issuer(name: string): IssuerRecord | undefined {
    return this.view.getJSON<IssuerRecord>(paths.issuer(name));
  }
  putIssuer(r: IssuerRecord): void {
    this.view.putJSON(paths.issuer(r.name), r);
  }
  issuerNames(): string[] {
    return this.view.list(paths.issuerPrefix).map((p) => p.slice(paths.issuerPrefix.length));
  }
  /** crl is the CRL of an issuer, or of the root when issuer is undefined */
  crl(issuer: string | undefined): CrlRecord | undefined {
    return this.view.getJSON<CrlRecord>(issuer === undefined ? paths.rootCrl : paths.crl(issuer));
  }
  putCrl(issuer: string | undefined, r: CrlRecord): void {
    this.view.putJSON(issuer === undefined ? paths.rootCrl : paths.crl(issuer), r);
  }
  cert(serial: string): CertRecord | undefined {
    return this.view.getJSON<CertRecord>(paths.cert(serial));
  }
  putCert(r: CertRecord): void {
    this.view.putJSON(paths.cert(r.serial), r);
  }
  certSerials(): string[] {
    return this.view.list(paths.certPrefix).map((p) => p.slice(paths.certPrefix.length));
  }

  #readKey(path: string): KeyObject | undefined {
    const der = this.view.get(path);
    if (!der) return undefined;
    try {
      return privateKeyFromDer(der);
    } finally {
      der.fill(0);
    }
  }

  #writeKey(path: string, key: KeyObject): void {
    const der = key.export({ format: 'der', type: 'pkcs8' });
    try {
      this.view.put(path, der);
    } finally {
      der.fill(0);
    }
  }
}
