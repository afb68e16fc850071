import type { BarrierView, Engine, OpContext } from '../../engine/index.js';

/**
 * The CA engine's surface that other parts of Metacrypt (ACME, the client library, the web UI)
 * build on. Agreed before either side was written; change both sides together.
 */

/** Profile is a leaf certificate profile (spec §6.3). */
export type Profile = 'server' | 'client' | 'peer';

/** LeafKeyType is a key type Metacrypt generates for leaves; RSA is import-only. */
export type LeafKeyType = 'ecdsa-p256' | 'ecdsa-p384' | 'ed25519';

/** IssuedCert is what issue, sign-csr and renew return; the chain always comes with the leaf. */
export interface IssuedCert {
  /** lower-case hex, no separators */
  readonly serial: string;
  readonly certPem: string;
  /** issuer certificate then root, PEM, without the leaf */
  readonly chainPem: string;
  /** present only when Metacrypt generated the key (issue); returned once, never stored */
  readonly keyPem?: string;
  readonly notAfter: Date;
}

/** SignCsrRequest is sign-csr's input; ACME finalize calls it with the order's names. */
export interface SignCsrRequest {
  readonly issuer: string;
  /** PEM or DER */
  readonly csr: string | Uint8Array;
  readonly profile?: Profile;
  readonly ttlMs?: number;
  /**
   * when set (ACME), the certificate carries exactly these DNS names and the CSR must ask for
   * the same set; otherwise the names come from the CSR
   */
  readonly dnsNames?: readonly string[];
}

/** CaEngine is a live CA mount. */
export interface CaEngine extends Engine {
  readonly type: 'ca';
  /** acmeStorage is the mount's barrier view under `acme/`, where the ACME server keeps its state */
  readonly acmeStorage: BarrierView;
  /**
   * signCsr validates the CSR (signature, key type, names), checks policy `sign-csr` (or `issue`
   * for ACME) with the SANs, and issues. Bad CSRs are InvalidRequestErrors, an unknown issuer a
   * NotFoundError, a policy refusal a ForbiddenError; nothing is stored unless it succeeds.
   */
  signCsr(ctx: OpContext, req: SignCsrRequest, action?: 'sign-csr' | 'issue'): IssuedCert;
  /**
   * revoke marks a certificate revoked and regenerates its issuer's CRL (policy `revoke`). `reason`
   * is an RFC 5280 reason as snake_case ("key_compromise"), camelCase ("keyCompromise") or its
   * numeric code; empty means unspecified. A certificate already revoked is a ConflictError
   * (code ERR_ALREADY_REVOKED); an unknown serial a NotFoundError.
   */
  revoke(ctx: OpContext, serial: string, reason?: string): void;
  /**
   * revokeAsHolder is revoke for a caller who has proven to hold the certificate (ACME
   * revoke-cert signed by the ordering account or the certificate's own key): that proof is the
   * authority, so the `revoke` policy action is not asked. Same errors otherwise.
   */
  revokeAsHolder(ctx: OpContext, serial: string, reason?: string): void;
  /** issuerNames lists the mount's issuers */
  issuerNames(): string[];
  /** certificate returns the PEM of an issued certificate by serial, or undefined */
  certificatePem(serial: string): string | undefined;
}
