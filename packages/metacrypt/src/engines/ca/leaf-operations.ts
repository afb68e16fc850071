import { InvalidRequestError, NotFoundError, PreconditionError } from '@metacircular/mcdsl';
import type { OpContext } from '../../engine/index.js';
import type { CaContext } from './ca-context.js';
import type { IssuedCert, LeafKeyType, SignCsrRequest } from './ca-types.js';
import { parseCsr } from './csr.js';
import { generatedKeyTypes, generateLeafKey, parseKeyType } from './key-material.js';
import { signLeaf } from './leaf-signing.js';
import { backdateMs, parseTtl } from './lifetime.js';
import { normalizeSerial } from './serial-number.js';
import { certNames, normalizeDnsName, type CertNames } from './subject-names.js';

/**
 * The three ways to get a leaf: issue (Metacrypt generates the key and returns it once; it is
 * never stored), sign-csr (the caller keeps its key; the CSR's signature proves it holds it) and
 * renew (same names, profile and issuer as an earlier certificate, with a new key or a CSR's).
 */

/** IssueRequest is issue's input (strings as the API gives them). */
export interface IssueRequest {
  readonly issuer: string;
  readonly commonName?: string;
  readonly sans?: readonly string[];
  readonly ipSans?: readonly string[];
  readonly profile?: string;
  readonly ttl?: string;
  readonly keyType?: string;
}

/** issue generates a key pair and certifies it; the private key is in the answer and nowhere else. */
export function issue(c: CaContext, ctx: OpContext, req: IssueRequest): IssuedCert {
  const keyType = parseKeyType(req.keyType);
  const names = certNames({ commonName: req.commonName, dnsNames: req.sans, ipAddresses: req.ipSans });
  const ttlMs = parseTtl(req.ttl, 'ttl', c.settings.defaultTtlMs);
  return withNewKey(keyType, (spki) =>
    signLeaf(c, ctx, { issuer: req.issuer, names, profile: req.profile, ttlMs, spki, keyType, action: 'issue', source: 'issue' }),
  );
}

/**
 * signCsr certifies a CSR's key. The names come from the CSR (CN and SANs), unless the request
 * fixes them (ACME finalize), in which case the CSR must ask for exactly that set of DNS names.
 */
export function signCsr(
  c: CaContext,
  ctx: OpContext,
  req: SignCsrRequest,
  action: 'sign-csr' | 'issue' = 'sign-csr',
): IssuedCert {
  const csr = parseCsr(req.csr);
  let names: CertNames;
  if (req.dnsNames !== undefined) {
    const wanted = req.dnsNames.map((n) => normalizeDnsName(n, 'identifiers'));
    const asked = [...csr.dnsNames, ...(csr.commonName === '' ? [] : [csr.commonName])].map((n) => normalizeDnsName(n, 'csr'));
    const same = new Set(wanted).size === new Set(asked).size && asked.every((n) => wanted.includes(n));
    if (!same || csr.ipAddresses.length > 0) {
      throw new InvalidRequestError(
        `csr: the CSR asks for ${[...new Set(asked)].join(', ') || 'no names'} but the order is for ${wanted.join(', ')}`,
      );
    }
    const cn = asked.includes(csr.commonName.toLowerCase()) ? csr.commonName : undefined;
    names = certNames({ commonName: cn, dnsNames: wanted }, { cn: 'csr', dns: 'identifiers', ip: 'identifiers' });
  } else {
    const field = { cn: 'csr_pem', dns: 'csr_pem', ip: 'csr_pem' };
    names = certNames({ commonName: csr.commonName, dnsNames: csr.dnsNames, ipAddresses: csr.ipAddresses }, field);
  }
  return signLeaf(c, ctx, {
    issuer: req.issuer,
    names,
    profile: req.profile,
    ttlMs: req.ttlMs,
    spki: csr.spki,
    keyType: csr.keyType,
    action,
    source: action === 'issue' ? 'acme' : 'sign-csr',
  }).issued;
}

/** RenewRequest is renew's input. */
export interface RenewRequest {
  readonly serial: string;
  readonly ttl?: string;
  /** certify this CSR's key instead of generating one */
  readonly csrPem?: string;
}

/** renew re-issues a certificate with the same names, profile and issuer; the old one stays valid. */
export function renew(c: CaContext, ctx: OpContext, req: RenewRequest): IssuedCert {
  const serial = normalizeSerial(req.serial);
  const old = c.store.cert(serial);
  if (!old) throw new NotFoundError(`certificate ${serial} not found in mount ${c.mount}`);
  if (old.revokedAt !== undefined)
    throw new PreconditionError(`certificate ${serial} is revoked; issue a new one instead`, { code: 'ERR_REVOKED' });
  const lifetime = Date.parse(old.notAfter) - Date.parse(old.notBefore) - backdateMs;
  const ttlMs = parseTtl(req.ttl, 'ttl', Math.max(lifetime, 60_000));
  const names = certNames({ commonName: old.commonName, dnsNames: old.dnsNames, ipAddresses: old.ipAddresses });
  const base = {
    issuer: old.issuer,
    names,
    profile: old.profile,
    ttlMs,
    action: 'renew',
    source: 'renew',
    renewedFrom: serial,
  } as const;
  if (req.csrPem !== undefined && req.csrPem.trim() !== '') {
    const csr = parseCsr(req.csrPem);
    return signLeaf(c, ctx, { ...base, spki: csr.spki, keyType: csr.keyType }).issued;
  }
  const keyType: LeafKeyType = (generatedKeyTypes as readonly string[]).includes(old.keyType)
    ? (old.keyType as LeafKeyType)
    : 'ecdsa-p256';
  return withNewKey(keyType, (spki) => signLeaf(c, ctx, { ...base, spki, keyType }));
}

function withNewKey(keyType: LeafKeyType, sign: (spki: Buffer) => { issued: IssuedCert }): IssuedCert {
  const { spki, keyPem } = generateLeafKey(keyType);
  return { ...sign(spki).issued, keyPem };
}
