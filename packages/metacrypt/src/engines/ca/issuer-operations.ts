import { ConflictError, InvalidRequestError } from '@metacircular/mcdsl';
import type { KeyObject } from 'node:crypto';
import type { OpContext } from '../../engine/index.js';
import { parseCaCertificate } from './ca-certificate.js';
import { validIssuerName } from './ca-config.js';
import { crlUrl, type CaContext } from './ca-context.js';
import type { LoadedRoot } from './ca-keyring.js';
import type { CrlRecord, IssuerRecord } from './ca-store.js';
import { signCertificate } from './certificate-builder.js';
import { issuerExtensions, subjectKeyId } from './certificate-extensions.js';
import { crlIsStale, signNextCrl } from './crl-signing.js';
import { parseSubject } from './distinguished-name.js';
import { generateKey, parseKeyType, spkiOf } from './key-material.js';
import { parseProfiles } from './leaf-profile.js';
import { parseTtl, validityWithin } from './lifetime.js';
import { toPem } from './pem.js';
import { randomSerial } from './serial-number.js';
import { normalizeDnsName } from './subject-names.js';

/**
 * Issuers: intermediate CAs signed by the root with pathLen 0, so they sign leaves and nothing
 * else. Each gets its own key, a max leaf TTL, the leaf profiles it signs, optional DNS name
 * constraints (written into its certificate, so verifiers enforce them too) and an empty CRL.
 */

/** CreateIssuerRequest is create-issuer's input (strings as the API gives them). */
export interface CreateIssuerRequest {
  readonly name: string;
  readonly subject?: string;
  readonly keyType?: string;
  readonly ttl?: string;
  readonly maxTtl?: string;
  readonly allowedProfiles?: readonly string[];
  readonly permittedDnsDomains?: readonly string[];
  readonly excludedDnsDomains?: readonly string[];
}

/** defaultIssuerTtlMs is an issuer certificate's lifetime when none is given: 5 years. */
export const defaultIssuerTtlMs = 43_800 * 3_600_000;

/** createIssuer validates, signs and stores a new issuer (admin only; the access table checks that). */
export function createIssuer(c: CaContext, ctx: OpContext, req: CreateIssuerRequest): IssuerRecord {
  const name = validIssuerName(req.name);
  if (c.store.issuer(name)) throw new ConflictError(`issuer ${name} already exists in mount ${c.mount}`);
  const root = c.keyring.loadRoot();
  const { record, key, crl, serial } = buildIssuer(c, root, req);
  c.store.view.transaction(() => {
    c.store.putIssuer(record);
    c.store.putIssuerKey(name, key);
    c.store.putCrl(name, crl);
  });
  ctx.note({ issuer: name, serial, key_type: record.keyType });
  return record;
}

/** buildIssuer makes an issuer's key, certificate and first CRL without storing them (the key goes to CaStore.putIssuerKey). */
export function buildIssuer(
  c: CaContext,
  root: LoadedRoot,
  req: CreateIssuerRequest,
): { record: IssuerRecord; key: KeyObject; crl: CrlRecord; serial: string } {
  const name = validIssuerName(req.name);
  const now = c.now();
  const keyType = parseKeyType(req.keyType);
  const subject = parseSubject(req.subject?.trim() || `CN=Metacrypt ${c.mount} ${name} issuer`);
  const ttlMs = parseTtl(req.ttl, 'ttl', defaultIssuerTtlMs);
  const maxTtlMs = parseTtl(req.maxTtl, 'max_ttl', c.settings.issuerMaxTtlMs);
  const allowedProfiles = parseProfiles(req.allowedProfiles ?? [], name);
  const domains = (list: readonly string[] | undefined, field: string): string[] => [
    ...new Set((list ?? []).map((d) => normalizeDnsName(d.replace(/^\./, ''), field, false))),
  ];
  const permittedDnsDomains = domains(req.permittedDnsDomains, 'permitted_dns_domains');
  const excludedDnsDomains = domains(req.excludedDnsDomains, 'excluded_dns_domains');
  const validity = validityWithin(now, ttlMs, Number.POSITIVE_INFINITY, root.cert.notAfter);
  if (validity.ttlMs <= 0)
    throw new InvalidRequestError(`mount ${c.mount}: the root has expired; import or generate a new root in a new mount`);

  const { privateKey } = generateKey(keyType);
  const spki = spkiOf(privateKey);
  const der = signCertificate(
    {
      serial: randomSerial().bytes,
      subject,
      notBefore: validity.notBefore,
      notAfter: validity.notAfter,
      spki,
      extensions: issuerExtensions({
        ski: subjectKeyId(spki),
        rootKeyId: root.cert.keyId,
        crlUrl: crlUrl(c.settings.crlBaseUrl, c.mount, undefined),
        permittedDnsDomains,
        excludedDnsDomains,
      }),
    },
    root.signer,
  );
  const certPem = toPem(der, 'CERTIFICATE');
  const cert = parseCaCertificate(der, certPem);
  const record: IssuerRecord = {
    name,
    certPem,
    keyType,
    maxTtlMs,
    allowedProfiles,
    permittedDnsDomains,
    excludedDnsDomains,
    createdAt: now.toISOString(),
  };
  const signer = { key: privateKey, keyType, name: cert.subject };
  return { record, key: privateKey, crl: signNextCrl(signer, cert, undefined, [], now), serial: cert.serialHex };
}

/** currentCrl returns the CRL of an issuer (or of the root), signing it again first when it is stale. */
export function currentCrl(c: CaContext, issuer: string | undefined): CrlRecord {
  const ca = issuer === undefined ? c.keyring.loadRoot() : c.keyring.loadIssuer(issuer);
  const now = c.now();
  const crl = c.store.crl(issuer);
  if (crl && !crlIsStale(crl, now)) return crl;
  const next = signNextCrl(ca.signer, ca.cert, crl, crl?.entries ?? [], now);
  c.store.putCrl(issuer, next);
  return next;
}
