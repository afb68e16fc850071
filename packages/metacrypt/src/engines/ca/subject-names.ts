import { isIP, isIPv4 } from 'node:net';
import { InvalidRequestError } from '@metacircular/mcdsl';

/**
 * Validation of the names a leaf certificate carries (spec §6.3, §10.2). Names are normalised
 * before anything else looks at them (policy, name constraints, the certificate): DNS names
 * lower-cased, IP addresses in canonical form, duplicates dropped. The common name must be one of
 * the SANs, so it is added to them when it is not. Wildcards ("*.x") pass here; whether the caller
 * may have one is the policy's decision (allow_wildcard_sans).
 */

/** maxNames bounds the SANs of one certificate. */
export const maxNames = 100;

/** CertNames are a leaf's validated names. */
export interface CertNames {
  /** the subject CN: the requested one, else the first DNS name (empty when it would exceed 64 characters) */
  readonly commonName: string;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
}

const labelPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** normalizeDnsName lower-cases and checks one DNS name; `*` is allowed as a whole first label when `wildcard`. */
export function normalizeDnsName(raw: string, field: string, wildcard = true): string {
  const name = raw.trim().toLowerCase();
  const bad = (why: string): InvalidRequestError => new InvalidRequestError(`${field}: ${JSON.stringify(raw)} ${why}`);
  if (name === '') throw bad('is empty');
  if (isIP(name) !== 0) throw bad('is an IP address; give it as an IP SAN');
  if (name.length > 253) throw bad('is longer than 253 characters');
  if (name.endsWith('.')) throw bad('must not end with a dot');
  const labels = name.split('.');
  labels.forEach((label, i) => {
    if (label === '*' && i === 0 && wildcard) {
      if (labels.length < 3) throw bad('is a wildcard over a top-level domain');
      return;
    }
    if (!labelPattern.test(label)) throw bad('is not a valid DNS name (letters, digits and inner hyphens, 1-63 per label)');
  });
  return name;
}

// An IPv4-mapped IPv6 address (::ffff:0:0/96) in the canonical form below.
const ipv4Mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * normalizeIp checks an IPv4 or IPv6 address and returns its canonical text form. IPv4-mapped
 * IPv6 addresses are refused: many TLS clients (Go's among them) accept them for the IPv4
 * address, while policy globs such as denied_sans "10.0.0.*" compare text and would not see it.
 */
export function normalizeIp(raw: string, field: string): string {
  const ip = raw.trim();
  const family = ip.includes('%') ? 0 : isIP(ip);
  if (family === 0) throw new InvalidRequestError(`${field}: ${JSON.stringify(raw)} is not an IP address (without a zone)`);
  // WHATWG URL parsing gives the canonical form (RFC 5952 for IPv6, embedded IPv4 in hex).
  if (family === 4 && isIPv4(ip)) return new URL(`http://${ip}/`).hostname;
  const canonical = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const mapped = ipv4Mapped.exec(canonical);
  if (mapped) {
    const [hi, lo] = [parseInt(mapped[1] ?? '0', 16), parseInt(mapped[2] ?? '0', 16)];
    const v4 = [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
    throw new InvalidRequestError(`${field}: ${JSON.stringify(raw)} is an IPv4-mapped IPv6 address; give the IPv4 address ${v4}`);
  }
  return canonical;
}

/** isWildcard reports whether a DNS name is a wildcard name. */
export function isWildcard(name: string): boolean {
  return name.startsWith('*.');
}

/** NameRequest is what a request asks for, before validation. */
export interface NameRequest {
  readonly commonName?: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
}

/**
 * certNames validates a request's names. `fields` names the request fields in errors (the CSR
 * path reports everything under csr_pem).
 */
export function certNames(req: NameRequest, fields = { cn: 'common_name', dns: 'sans', ip: 'ip_sans' }): CertNames {
  const dns = unique((req.dnsNames ?? []).map((n) => normalizeDnsName(n, fields.dns)));
  const ips = unique((req.ipAddresses ?? []).map((n) => normalizeIp(n, fields.ip)));
  let commonName = (req.commonName ?? '').trim();
  if (commonName !== '') {
    if (isIP(commonName) !== 0) {
      commonName = normalizeIp(commonName, fields.cn);
      if (!ips.includes(commonName)) ips.unshift(commonName);
    } else {
      commonName = normalizeDnsName(commonName, fields.cn);
      if (!dns.includes(commonName)) dns.unshift(commonName);
    }
  }
  if (dns.length === 0 && ips.length === 0) {
    throw new InvalidRequestError(`${fields.cn}, ${fields.dns}: give at least one DNS name or IP address`);
  }
  if (dns.length + ips.length > maxNames) {
    throw new InvalidRequestError(`${fields.dns}: at most ${maxNames} names per certificate`);
  }
  if (commonName === '') commonName = dns[0] ?? ips[0] ?? '';
  // ub-common-name is 64; a longer name stays a SAN and the subject is left empty.
  if (commonName.length > 64) commonName = '';
  return { commonName, dnsNames: dns, ipAddresses: ips };
}

/** checkNameConstraints refuses DNS names outside an issuer's permitted domains or inside its excluded ones. */
export function checkNameConstraints(
  names: CertNames,
  permitted: readonly string[],
  excluded: readonly string[],
  issuer: string,
): void {
  const within = (name: string, domain: string): boolean => name === domain || name.endsWith(`.${domain}`);
  for (const name of names.dnsNames) {
    const bare = isWildcard(name) ? name.slice(2) : name;
    if (permitted.length > 0 && !permitted.some((d) => within(bare, d))) {
      throw new InvalidRequestError(`sans: ${name} is outside issuer ${issuer}'s permitted domains (${permitted.join(', ')})`);
    }
    if (excluded.some((d) => within(bare, d))) {
      throw new InvalidRequestError(`sans: ${name} is inside issuer ${issuer}'s excluded domains (${excluded.join(', ')})`);
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
