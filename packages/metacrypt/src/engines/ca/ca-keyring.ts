import type { KeyObject } from 'node:crypto';
import { NotFoundError, UnavailableError, PreconditionError, SealedError } from '@metacircular/mcdsl';
import { caCertificateFromPem, signerOf, type CaCertificate } from './ca-certificate.js';
import type { CaStore, IssuerRecord, RootRecord } from './ca-store.js';
import type { Signer } from './certificate-builder.js';
import { issuerLeafExtensions } from './certificate-extensions.js';

/**
 * CaKeyring is the open engine's cache of its CAs: each root or issuer record is decrypted,
 * its certificate parsed and its key imported once, then reused by every request (importing a
 * key per request would dominate issuance time). The cache holds KeyObjects only: the records
 * carry no key, and the DER read from the key's own entry is zeroed by CaStore right after the
 * import. Root and issuer records never change after they are written, so the cache needs no
 * invalidation; forget() (the engine's seal()) drops everything.
 */

/** LoadedRoot is the root, ready to sign issuers and the root CRL. */
export interface LoadedRoot {
  readonly record: RootRecord;
  readonly cert: CaCertificate;
  readonly signer: Signer;
}

/** LoadedIssuer is an issuer, ready to sign leaves and its CRL. */
export interface LoadedIssuer {
  readonly record: IssuerRecord;
  readonly cert: CaCertificate;
  readonly signer: Signer;
  /** the issuer's certificate then the root's, PEM: the chain returned with every leaf */
  readonly chainPem: string;
  /** the extensions all of its leaves share (AKI, CRL DP), encoded once */
  readonly leafExtensions: readonly Buffer[];
}

export class CaKeyring {
  private root: LoadedRoot | undefined;
  private readonly issuers = new Map<string, LoadedIssuer>();
  private sealed = false;

  constructor(
    private readonly store: CaStore,
    private readonly mount: string,
    /** the public CRL URL of an issuer, if the mount has a base URL */
    private readonly crlUrlOf: (issuer: string) => string | undefined,
  ) {}

  /** hasRoot reports whether the mount has a root yet. */
  hasRoot(): boolean {
    this.check();
    return this.root !== undefined || this.store.root() !== undefined;
  }

  /** loadRoot returns the root, or PreconditionError when there is none yet. */
  loadRoot(): LoadedRoot {
    this.check();
    if (this.root) return this.root;
    const record = this.store.root();
    if (!record) {
      throw new PreconditionError(`mount ${this.mount} has no root CA yet; generate or import one first`, {
        code: 'ERR_NO_ROOT',
      });
    }
    const cert = caCertificateFromPem(record.certPem);
    this.root = { record, cert, signer: signerOf(cert, this.key(this.store.rootKey(), 'root'), record.keyType) };
    return this.root;
  }

  /** loadIssuer returns an issuer, or NotFoundError naming it. */
  loadIssuer(name: string): LoadedIssuer {
    this.check();
    const cached = this.issuers.get(name);
    if (cached) return cached;
    const record = this.store.issuer(name);
    if (!record) throw new NotFoundError(`issuer ${JSON.stringify(name)} not found in mount ${this.mount}`);
    const root = this.loadRoot();
    const cert = caCertificateFromPem(record.certPem);
    const loaded: LoadedIssuer = {
      record,
      cert,
      signer: signerOf(cert, this.key(this.store.issuerKey(name), `issuer ${name}`), record.keyType),
      chainPem: record.certPem + root.record.certPem,
      leafExtensions: issuerLeafExtensions(cert.keyId, this.crlUrlOf(name)),
    };
    this.issuers.set(name, loaded);
    return loaded;
  }

  /** forget drops every cached key; the keyring refuses further use. */
  forget(): void {
    this.sealed = true;
    this.root = undefined;
    this.issuers.clear();
  }

  private key(key: KeyObject | undefined, what: string): KeyObject {
    if (!key)
      throw new UnavailableError(
        `mount ${this.mount}: the private key of the ${what} is missing from storage; restore a snapshot or recreate the mount`,
      );
    return key;
  }

  private check(): void {
    if (this.sealed) throw new SealedError();
  }
}
