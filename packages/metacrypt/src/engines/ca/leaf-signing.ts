import { PreconditionError } from '@metacircular/mcdsl';
import type { OpContext } from '../../engine/index.js';
import { issuerResource, type CaContext } from './ca-context.js';
import type { CertRecord, CertSource } from './ca-store.js';
import type { IssuedCert } from './ca-types.js';
import { signCertificate } from './certificate-builder.js';
import { leafExtensions, subjectKeyId } from './certificate-extensions.js';
import { commonNameSubject } from './distinguished-name.js';
import { chooseProfile } from './leaf-profile.js';
import { validityWithin } from './lifetime.js';
import { toPem } from './pem.js';
import { randomSerial } from './serial-number.js';
import { checkNameConstraints, type CertNames } from './subject-names.js';

/** LeafRequest is a leaf to sign: validated names, the key to certify and how it was asked for. */
export interface LeafRequest {
  readonly issuer: string;
  readonly names: CertNames;
  readonly profile?: string;
  /** requested lifetime; undefined takes the mount's default_ttl */
  readonly ttlMs?: number;
  /** SubjectPublicKeyInfo DER of the key to certify */
  readonly spki: Buffer;
  readonly keyType: string;
  /** the policy action checked on ca/{mount}/issuer/{issuer} */
  readonly action: 'issue' | 'sign-csr' | 'renew';
  readonly source: CertSource;
  readonly renewedFrom?: string;
}

/**
 * signLeaf is the one place leaves are signed (issue, sign-csr, renew and ACME all come here).
 * Its checks run in this order, each with its own error, and nothing is stored until all pass:
 *   1. the issuer exists                              NotFoundError (404)
 *   2. the issuer signs the profile                   InvalidRequestError (400)
 *   3. the names are inside the issuer's constraints  InvalidRequestError (400)
 *   4. the issuer is still valid                      PreconditionError (412)
 *   5. policy allows the action for these SANs and this lifetime (capped by max_ttl and the
 *      issuer's notAfter)                             ForbiddenError (403)
 * Then it signs, stores the record (never a key) and notes the serial and SANs for the audit log.
 */
export function signLeaf(c: CaContext, ctx: OpContext, req: LeafRequest): { record: CertRecord; issued: IssuedCert } {
  const issuer = c.keyring.loadIssuer(req.issuer);
  const profile = chooseProfile(req.profile, issuer.record.allowedProfiles, req.issuer);
  checkNameConstraints(req.names, issuer.record.permittedDnsDomains, issuer.record.excludedDnsDomains, req.issuer);
  const now = c.now();
  const validity = validityWithin(now, req.ttlMs ?? c.settings.defaultTtlMs, issuer.record.maxTtlMs, issuer.cert.notAfter);
  if (validity.ttlMs <= 0)
    throw new PreconditionError(`issuer ${req.issuer} has expired; create a new issuer`, { code: 'ERR_ISSUER_EXPIRED' });
  const sans = [...req.names.dnsNames, ...req.names.ipAddresses];
  ctx.authorize(req.action, issuerResource(c.mount, req.issuer), { sans, ttlMs: validity.ttlMs });

  const serial = randomSerial();
  const der = signCertificate(
    {
      serial: serial.bytes,
      subject: commonNameSubject(req.names.commonName),
      notBefore: validity.notBefore,
      notAfter: validity.notAfter,
      spki: req.spki,
      extensions: leafExtensions({
        profile,
        dnsNames: req.names.dnsNames,
        ipAddresses: req.names.ipAddresses,
        emptySubject: req.names.commonName === '',
        ski: subjectKeyId(req.spki),
        issuerExtensions: issuer.leafExtensions,
      }),
    },
    issuer.signer,
  );
  const certPem = toPem(der, 'CERTIFICATE');
  const record: CertRecord = {
    serial: serial.hex,
    issuer: req.issuer,
    profile,
    commonName: req.names.commonName,
    dnsNames: req.names.dnsNames,
    ipAddresses: req.names.ipAddresses,
    keyType: req.keyType,
    notBefore: validity.notBefore.toISOString(),
    notAfter: validity.notAfter.toISOString(),
    issuedBy: ctx.caller.username,
    source: req.source,
    certPem,
    ...(req.renewedFrom !== undefined ? { renewedFrom: req.renewedFrom } : {}),
  };
  c.store.putCert(record);
  ctx.note({ serial: serial.hex, issuer: req.issuer, profile, sans });
  return { record, issued: { serial: serial.hex, certPem, chainPem: issuer.chainPem, notAfter: validity.notAfter } };
}
