import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import type { Profile } from './ca-types.js';
import { bool, children, explicit, implicit, integer, namedBits, octets, oid, readElement, seq, tlv } from './der.js';

/**
 * The extension sets of the three kinds of certificate the engine signs (spec §6.3), DER-encoded:
 *   root:   CA:true, keyCertSign|cRLSign, SKI
 *   issuer: CA:true pathLen 0, keyCertSign|cRLSign, SKI, AKI, optional name constraints, CRL DP
 *   leaf:   CA:false, digitalSignature, EKU per profile, SANs, SKI, AKI, CRL DP
 * plus the CRL's own extensions (AKI, CRL number) and its entries' reason code.
 */

const oids = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  cRLNumber: '2.5.29.20',
  cRLReasons: '2.5.29.21',
  nameConstraints: '2.5.29.30',
  cRLDistributionPoints: '2.5.29.31',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

// KeyUsage bit numbers (RFC 5280 4.2.1.3).
const digitalSignature = 0;
const keyCertSign = 5;
const cRLSign = 6;

const profileEku: Readonly<Record<Profile, readonly string[]>> = {
  server: [oids.serverAuth],
  client: [oids.clientAuth],
  peer: [oids.serverAuth, oids.clientAuth],
};

/** extension encodes one Extension; critical is written only when true (DER leaves out defaults). */
export function extension(extnId: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(extnId), ...(critical ? [bool(true)] : []), octets(value));
}

/** subjectKeyId is RFC 5280 method 1: SHA-1 of the subjectPublicKey bits of an SPKI DER. */
export function subjectKeyId(spki: Uint8Array): Buffer {
  const [, keyBits] = children(readElement(Buffer.from(spki)).content);
  if (!keyBits || keyBits.tag !== 0x03) throw new RangeError('spki: no subjectPublicKey');
  return createHash('sha1').update(keyBits.content.subarray(1)).digest();
}

// Constant extensions are encoded once.
const leafBasicConstraints = extension(oids.basicConstraints, true, seq());
const leafKeyUsage = extension(oids.keyUsage, true, namedBits([digitalSignature]));
const caKeyUsage = extension(oids.keyUsage, true, namedBits([keyCertSign, cRLSign]));
const ekuByProfile = new Map<Profile, Buffer>(
  (Object.keys(profileEku) as Profile[]).map((p) => [
    p,
    extension(oids.extKeyUsage, false, seq(...profileEku[p].map((o) => oid(o)))),
  ]),
);

/** rootExtensions are a self-signed root's extensions. */
export function rootExtensions(ski: Buffer): Buffer[] {
  return [extension(oids.basicConstraints, true, seq(bool(true))), caKeyUsage, skiExtension(ski)];
}

/** IssuerExtensionParams describe an issuer certificate. */
export interface IssuerExtensionParams {
  readonly ski: Buffer;
  readonly rootKeyId: Buffer;
  readonly crlUrl: string | undefined;
  readonly permittedDnsDomains: readonly string[];
  readonly excludedDnsDomains: readonly string[];
}

/** issuerExtensions are an issuer's extensions: a CA that may sign leaves only (pathLen 0). */
export function issuerExtensions(p: IssuerExtensionParams): Buffer[] {
  const out = [
    extension(oids.basicConstraints, true, seq(bool(true), integer(0))),
    caKeyUsage,
    skiExtension(p.ski),
    akiExtension(p.rootKeyId),
  ];
  if (p.permittedDnsDomains.length > 0 || p.excludedDnsDomains.length > 0) {
    // GeneralSubtree ::= SEQUENCE { base GeneralName } (minimum 0 is the default, so absent)
    const subtrees = (tag: number, domains: readonly string[]): Buffer[] =>
      domains.length === 0 ? [] : [tlv(0xa0 | tag, Buffer.concat(domains.map((d) => seq(implicit(2, Buffer.from(d, 'ascii'))))))];
    const value = seq(...subtrees(0, p.permittedDnsDomains), ...subtrees(1, p.excludedDnsDomains));
    out.push(extension(oids.nameConstraints, true, value));
  }
  if (p.crlUrl) out.push(crlDistributionPoint(p.crlUrl));
  return out;
}

/** LeafExtensionParams describe a leaf certificate. */
export interface LeafExtensionParams {
  readonly profile: Profile;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** with an empty subject the SAN extension must be critical (RFC 5280 4.2.1.6) */
  readonly emptySubject: boolean;
  readonly ski: Buffer;
  /** the issuer's AKI and CRL DP extensions, encoded once per issuer (issuerLeafExtensions) */
  readonly issuerExtensions: readonly Buffer[];
}

/** issuerLeafExtensions are the extensions every leaf of one issuer shares: AKI and CRL DP. */
export function issuerLeafExtensions(issuerKeyId: Buffer, crlUrl: string | undefined): Buffer[] {
  return [akiExtension(issuerKeyId), ...(crlUrl ? [crlDistributionPoint(crlUrl)] : [])];
}

/** leafExtensions are an end-entity certificate's extensions. */
export function leafExtensions(p: LeafExtensionParams): Buffer[] {
  const names = [
    ...p.dnsNames.map((d) => implicit(2, Buffer.from(d, 'ascii'))),
    ...p.ipAddresses.map((ip) => implicit(7, ipBytes(ip))),
  ];
  return [
    leafBasicConstraints,
    leafKeyUsage,
    ekuByProfile.get(p.profile) as Buffer,
    extension(oids.subjectAltName, p.emptySubject, seq(...names)),
    skiExtension(p.ski),
    ...p.issuerExtensions,
  ];
}

/** crlExtensions are a CRL's own extensions. */
export function crlExtensions(issuerKeyId: Buffer, crlNumber: number): Buffer[] {
  return [akiExtension(issuerKeyId), extension(oids.cRLNumber, false, integer(crlNumber))];
}

/** crlReasonExtension is a CRL entry's reasonCode extension (CRLReason is an ENUMERATED). */
export function crlReasonExtension(code: number): Buffer {
  return extension(oids.cRLReasons, false, tlv(0x0a, Buffer.from([code])));
}

function skiExtension(ski: Buffer): Buffer {
  return extension(oids.subjectKeyIdentifier, false, octets(ski));
}

// AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT KeyIdentifier }
function akiExtension(keyId: Buffer): Buffer {
  return extension(oids.authorityKeyIdentifier, false, seq(implicit(0, keyId)));
}

// CRLDistributionPoints ::= SEQUENCE OF DistributionPoint { distributionPoint [0] { fullName [0] { URI [6] } } }
function crlDistributionPoint(url: string): Buffer {
  return extension(oids.cRLDistributionPoints, false, seq(seq(explicit(0, explicit(0, implicit(6, Buffer.from(url, 'ascii')))))));
}

/** ipBytes turns a canonical IP address (normalizeIp's output) into its 4 or 16 bytes. */
export function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return Buffer.from(groups.map((g) => g.padStart(4, '0')).join(''), 'hex');
}
