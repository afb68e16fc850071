import { isIP } from 'node:net';
import { InvalidRequestError, parseDuration } from '@metacircular/mcdsl';
import type { SSHCertType } from './ssh-certificate.js';
import { sshKeyTypes, type SSHKeyType } from './ssh-public-key.js';
import { anyPrincipalMatches } from './principal-glob.js';

/** SSHProfile is a signing profile as stored at profiles/{name}. */
export interface SSHProfile {
  readonly name: string;
  readonly certType: SSHCertType;
  readonly allowedPrincipals: readonly string[];
  readonly defaultPrincipals: readonly string[];
  readonly maxTtlMs: number;
  readonly defaultTtlMs: number;
  readonly extensions: readonly string[];
  readonly criticalOptions: Readonly<Record<string, string>>;
  readonly allowedKeyTypes: readonly SSHKeyType[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** SSHProfileInput is a profile as an admin writes it; left-out fields take defaults. */
export interface SSHProfileInput {
  readonly name: string;
  readonly certType: string;
  readonly allowedPrincipals?: readonly string[];
  readonly defaultPrincipals?: readonly string[];
  /** Go durations; empty or left out: the cert type's default */
  readonly maxTtl?: string;
  readonly defaultTtl?: string;
  readonly extensions?: readonly string[];
  readonly criticalOptions?: Readonly<Record<string, string>>;
  /** empty or left out: every type in sshKeyTypes */
  readonly allowedKeyTypes?: readonly string[];
}

/** ttlDefaults are the spec §7.2 lifetimes: user 16h (max 24h), host 30 days (max 1 year). */
export const ttlDefaults: Readonly<Record<SSHCertType, { readonly defaultTtl: string; readonly maxTtl: string }>> = {
  user: { defaultTtl: '16h', maxTtl: '24h' },
  host: { defaultTtl: '720h', maxTtl: '8760h' },
};

/** standardExtensions are the user-certificate extensions OpenSSH defines (PROTOCOL.certkeys). */
export const standardExtensions: readonly string[] = [
  'no-touch-required',
  'permit-X11-forwarding',
  'permit-agent-forwarding',
  'permit-port-forwarding',
  'permit-pty',
  'permit-user-rc',
];

/** defaultUserExtensions are what `ssh-keygen -s` grants by default; the "default" profile gets them. */
export const defaultUserExtensions: readonly string[] = [
  'permit-X11-forwarding',
  'permit-agent-forwarding',
  'permit-port-forwarding',
  'permit-pty',
  'permit-user-rc',
];

const namePattern = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const maxPrincipals = 64;
// 10 years: nothing should outlive that without a new profile.
const maxTtlCeilingMs = 87_600 * 3_600_000;

/**
 * buildProfile validates an admin's profile and fills in defaults; every error is an
 * InvalidRequestError naming the field. createdAt is kept from the profile it replaces.
 */
export function buildProfile(input: SSHProfileInput, now: Date, createdAt?: string): SSHProfile {
  if (!namePattern.test(input.name)) throw bad('name', 'must match ^[a-z0-9][a-z0-9._-]{0,62}$');
  if (input.certType !== 'user' && input.certType !== 'host') throw bad('cert_type', 'use "user" or "host"');
  const certType: SSHCertType = input.certType;
  const allowedPrincipals = principalList('allowed_principals', input.allowedPrincipals ?? [], true);
  const defaultPrincipals = principalList('default_principals', input.defaultPrincipals ?? [], false);
  for (const p of defaultPrincipals) {
    if (!anyPrincipalMatches(allowedPrincipals, p)) throw bad('default_principals', `"${p}" matches none of allowed_principals`);
  }
  const maxTtlMs = ttl('max_ttl', input.maxTtl || ttlDefaults[certType].maxTtl);
  const defaultTtlMs = ttl('default_ttl', input.defaultTtl || ttlDefaults[certType].defaultTtl);
  if (defaultTtlMs > maxTtlMs) throw bad('default_ttl', 'must not exceed max_ttl');
  const extensions = [...new Set(input.extensions ?? [])].sort();
  const criticalOptions = { ...(input.criticalOptions ?? {}) };
  if (certType === 'host' && (extensions.length > 0 || Object.keys(criticalOptions).length > 0)) {
    throw bad('extensions', 'host certificates carry no extensions or critical options');
  }
  for (const e of extensions) {
    if (!standardExtensions.includes(e) && !/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(e)) {
      throw bad(
        'extensions',
        `"${e}" is neither an OpenSSH extension (${standardExtensions.join(', ')}) nor a vendor name@domain`,
      );
    }
  }
  checkCriticalOptions(criticalOptions);
  const keyTypes = input.allowedKeyTypes ?? [];
  for (const k of keyTypes) {
    if (!(sshKeyTypes as readonly string[]).includes(k))
      throw bad('allowed_key_types', `"${k}" is not one of ${sshKeyTypes.join(', ')}`);
  }
  const allowedKeyTypes = keyTypes.length === 0 ? [...sshKeyTypes] : sshKeyTypes.filter((k) => keyTypes.includes(k));
  const stamp = now.toISOString();
  return {
    name: input.name,
    certType,
    allowedPrincipals,
    defaultPrincipals,
    maxTtlMs,
    defaultTtlMs,
    extensions,
    criticalOptions,
    allowedKeyTypes,
    createdAt: createdAt ?? stamp,
    updatedAt: stamp,
  };
}

/**
 * checkPrincipal refuses what sshd could misread in a principal: empty or long names,
 * whitespace, control characters, commas (principal lists are comma-separated in sshd_config
 * and ssh-keygen) and, unless glob is set, the wildcards '*' and '?'.
 */
export function checkPrincipal(field: string, principal: string, glob: boolean): void {
  if (principal.length === 0 || principal.length > 256) throw bad(field, 'each principal must be 1 to 256 characters');
  if (/[\s,\p{Cc}]/u.test(principal)) throw bad(field, `"${principal}" contains whitespace, a comma or a control character`);
  if (!glob && /[*?]/.test(principal)) throw bad(field, `"${principal}" contains a wildcard; name exact principals`);
}

function principalList(field: string, list: readonly string[], glob: boolean): string[] {
  if (list.length > maxPrincipals) throw bad(field, `at most ${maxPrincipals} entries`);
  for (const p of list) checkPrincipal(field, p, glob);
  return [...new Set(list)];
}

function ttl(field: string, text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    throw bad(field, `invalid duration "${text}"; use Go syntax like "16h" or "720h"`);
  }
  if (ms < 1000 || ms > maxTtlCeilingMs) throw bad(field, 'must be between 1s and 87600h');
  return ms;
}

function checkCriticalOptions(options: Record<string, string>): void {
  for (const [name, value] of Object.entries(options)) {
    if (name === 'force-command') {
      if (value.trim() === '' || value.length > 4096 || value.includes('\0')) {
        throw bad('critical_options', 'force-command must be a non-empty command of at most 4096 characters');
      }
    } else if (name === 'source-address') {
      const entries = value.split(',');
      if (value === '' || !entries.every(isCIDR)) {
        throw bad('critical_options', 'source-address must be a comma-separated list of addresses or CIDR blocks');
      }
    } else {
      throw bad('critical_options', `"${name}" is not supported; use force-command or source-address`);
    }
  }
}

function isCIDR(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

function bad(field: string, what: string): InvalidRequestError {
  return new InvalidRequestError(`${field}: ${what}`);
}
