import { NotFoundError } from '@metacircular/mcdsl';
import type { BarrierView, EngineDeps, MountInfo, OpContext } from '../../engine/index.js';
import { caSettings } from './ca-config.js';
import { certsResource, crlUrl, type CaContext } from './ca-context.js';
import { CaKeyring, type LoadedIssuer, type LoadedRoot } from './ca-keyring.js';
import { CaStore, paths, type CertRecord, type CrlRecord } from './ca-store.js';
import type { CaEngine, IssuedCert, SignCsrRequest } from './ca-types.js';
import { createIssuer, currentCrl, type CreateIssuerRequest } from './issuer-operations.js';
import { issue, renew, signCsr, type IssueRequest, type RenewRequest } from './leaf-operations.js';
import { revoke } from './revocation.js';
import {
  generateRoot,
  importRoot,
  type GenerateRootRequest,
  type ImportRootRequest,
  type RootResult,
} from './root-operations.js';
import { normalizeSerial } from './serial-number.js';

/** CertFilter narrows list-certs. */
export interface CertFilter {
  readonly issuer?: string;
  readonly revokedOnly?: boolean;
}

/**
 * CaMountEngine is one open CA mount. It implements the CaEngine surface ACME builds on and the
 * rest of the CA API; each operation lives in its own module and gets this mount's CaContext.
 * The keyring caches the CA keys for the life of the engine; seal() drops them.
 */
export class CaMountEngine implements CaEngine {
  readonly type = 'ca' as const;
  readonly acmeStorage: BarrierView;
  private readonly c: CaContext;

  constructor(
    readonly mount: MountInfo,
    view: BarrierView,
    deps: EngineDeps,
  ) {
    const store = new CaStore(view);
    const settings = caSettings(mount.config);
    this.acmeStorage = view.sub(paths.acmePrefix);
    this.c = {
      mount: mount.name,
      store,
      keyring: new CaKeyring(store, mount.name, (issuer) => crlUrl(settings.crlBaseUrl, mount.name, issuer)),
      settings,
      now: deps.now,
    };
  }

  generateRoot(ctx: OpContext, req: GenerateRootRequest): RootResult {
    return generateRoot(this.c, ctx, req);
  }

  importRoot(ctx: OpContext, req: ImportRootRequest): RootResult {
    return importRoot(this.c, ctx, req);
  }

  createIssuer(ctx: OpContext, req: CreateIssuerRequest): LoadedIssuer {
    const record = createIssuer(this.c, ctx, req);
    return this.c.keyring.loadIssuer(record.name);
  }

  /** root returns the mount's root; `missing` says how to fail without one (412 for operations, 404 for reads). */
  root(missing: 'precondition' | 'not-found' = 'precondition'): LoadedRoot {
    if (missing === 'not-found' && !this.c.keyring.hasRoot()) throw new NotFoundError(`mount ${this.c.mount} has no root CA yet`);
    return this.c.keyring.loadRoot();
  }

  /** issuer returns one issuer, or NotFoundError. */
  issuer(name: string): LoadedIssuer {
    return this.c.keyring.loadIssuer(name);
  }

  issuerNames(): string[] {
    return this.c.store.issuerNames();
  }

  /** chainPem is one issuer's certificate (or every issuer's) followed by the root's. */
  chainPem(issuer?: string): string {
    const root = this.root('not-found');
    const names = issuer !== undefined && issuer !== '' ? [issuer] : this.issuerNames();
    return names.map((n) => this.c.keyring.loadIssuer(n).record.certPem).join('') + root.record.certPem;
  }

  issue(ctx: OpContext, req: IssueRequest): IssuedCert {
    return issue(this.c, ctx, req);
  }

  signCsr(ctx: OpContext, req: SignCsrRequest, action: 'sign-csr' | 'issue' = 'sign-csr'): IssuedCert {
    return signCsr(this.c, ctx, req, action);
  }

  renew(ctx: OpContext, req: RenewRequest): IssuedCert {
    return renew(this.c, ctx, req);
  }

  revoke(ctx: OpContext, serial: string, reason?: string): CertRecord {
    return revoke(this.c, ctx, serial, reason);
  }

  revokeAsHolder(ctx: OpContext, serial: string, reason?: string): CertRecord {
    return revoke(this.c, ctx, serial, reason, { holderProven: true });
  }

  /** listCerts returns the records the filter selects, by serial (policy `list` on ca/{mount}/certs). */
  listCerts(ctx: OpContext, filter: CertFilter = {}): CertRecord[] {
    ctx.authorize('list', certsResource(this.c.mount));
    if (filter.issuer) this.c.keyring.loadIssuer(filter.issuer);
    const out: CertRecord[] = [];
    for (const serial of this.c.store.certSerials()) {
      const r = this.c.store.cert(serial);
      if (!r) continue;
      if (filter.issuer && r.issuer !== filter.issuer) continue;
      if (filter.revokedOnly && r.revokedAt === undefined) continue;
      out.push(r);
    }
    return out;
  }

  /** getCert returns one record (policy `read` on ca/{mount}/certs). */
  getCert(ctx: OpContext, serial: string): CertRecord {
    const s = normalizeSerial(serial);
    ctx.authorize('read', certsResource(this.c.mount));
    const r = this.c.store.cert(s);
    if (!r) throw new NotFoundError(`certificate ${s} not found in mount ${this.c.mount}`);
    return r;
  }

  certificatePem(serial: string): string | undefined {
    try {
      return this.c.store.cert(normalizeSerial(serial))?.certPem;
    } catch {
      return undefined;
    }
  }

  /** crl returns an issuer's CRL (the root's when issuer is undefined), re-signed first when stale. */
  crl(issuer?: string): CrlRecord {
    return this.c.store.view.transaction(() => currentCrl(this.c, issuer));
  }

  seal(): void {
    this.c.keyring.forget();
  }
}
