import type { MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import type {
  CACertificateSchema,
  CACRLSchema,
  CAIssuedCertificateSchema,
  CAIssuerSchema,
  CARootSchema,
} from '@metacircular/proto/metacrypt/v1/ca_pb';
import type { LoadedIssuer, LoadedRoot } from './ca-keyring.js';
import type { CertRecord, CrlRecord } from './ca-store.js';
import type { IssuedCert } from './ca-types.js';
import { formatTtl } from './lifetime.js';
import { toPem } from './pem.js';

/** The CA engine's records as proto messages (ca.proto). No message ever carries a CA key. */

/** rootMessage renders a root. */
export function rootMessage(root: LoadedRoot): MessageInitShape<typeof CARootSchema> {
  return {
    subject: root.cert.subjectText,
    certPem: root.record.certPem,
    keyType: root.record.keyType,
    serial: root.cert.serialHex,
    notBefore: timestampFromDate(root.cert.notBefore),
    notAfter: timestampFromDate(root.cert.notAfter),
    imported: root.record.imported,
    createdAt: timestampFromDate(new Date(root.record.createdAt)),
  };
}

/** issuerMessage renders an issuer. */
export function issuerMessage(issuer: LoadedIssuer): MessageInitShape<typeof CAIssuerSchema> {
  const r = issuer.record;
  return {
    name: r.name,
    subject: issuer.cert.subjectText,
    certPem: r.certPem,
    keyType: r.keyType,
    serial: issuer.cert.serialHex,
    notBefore: timestampFromDate(issuer.cert.notBefore),
    notAfter: timestampFromDate(issuer.cert.notAfter),
    maxTtl: formatTtl(r.maxTtlMs),
    allowedProfiles: [...r.allowedProfiles],
    permittedDnsDomains: [...r.permittedDnsDomains],
    excludedDnsDomains: [...r.excludedDnsDomains],
    createdAt: timestampFromDate(new Date(r.createdAt)),
  };
}

/** certMessage renders a leaf's record; list answers leave the PEM out. */
export function certMessage(r: CertRecord, withPem = true): MessageInitShape<typeof CACertificateSchema> {
  return {
    serial: r.serial,
    issuer: r.issuer,
    profile: r.profile,
    commonName: r.commonName,
    sans: [...r.dnsNames],
    ipSans: [...r.ipAddresses],
    keyType: r.keyType,
    notBefore: timestampFromDate(new Date(r.notBefore)),
    notAfter: timestampFromDate(new Date(r.notAfter)),
    issuedBy: r.issuedBy,
    source: r.source,
    certPem: withPem ? r.certPem : '',
    revoked: r.revokedAt !== undefined,
    ...(r.revokedAt !== undefined ? { revokedAt: timestampFromDate(new Date(r.revokedAt)) } : {}),
    revocationReason: r.revocationReason ?? '',
    renewedFrom: r.renewedFrom ?? '',
  };
}

/** issuedMessage renders what issue, sign-csr and renew answer. */
export function issuedMessage(c: IssuedCert): MessageInitShape<typeof CAIssuedCertificateSchema> {
  return {
    serial: c.serial,
    certPem: c.certPem,
    chainPem: c.chainPem,
    keyPem: c.keyPem ?? '',
    notAfter: timestampFromDate(c.notAfter),
  };
}

/** crlMessage renders a CRL. */
export function crlMessage(issuer: string, crl: CrlRecord): MessageInitShape<typeof CACRLSchema> {
  return {
    issuer,
    crlPem: toPem(Buffer.from(crl.der, 'base64'), 'X509 CRL'),
    crlNumber: BigInt(crl.crlNumber),
    thisUpdate: timestampFromDate(new Date(crl.thisUpdate)),
    nextUpdate: timestampFromDate(new Date(crl.nextUpdate)),
    revokedSerials: crl.entries.map((e) => e.serial),
  };
}
