import { InvalidRequestError } from '@metacircular/mcdsl';
import type { Profile } from './ca-types.js';

/**
 * Leaf profiles (spec §6.3): `server` (serverAuth), `client` (clientAuth) and `peer` (both), all
 * with keyUsage digitalSignature. An issuer may limit the profiles it signs; by convention the
 * `clients` issuer signs client certificates only.
 */

/** profiles lists every leaf profile. */
export const profiles: readonly Profile[] = ['server', 'client', 'peer'];

/** parseProfiles reads an allowed_profiles list (empty gives the default for the issuer `name`). */
export function parseProfiles(values: readonly string[], name: string, field = 'allowed_profiles'): Profile[] {
  if (values.length === 0) return name === 'clients' ? ['client'] : [...profiles];
  return [...new Set(values.map((v) => parseProfile(v, field)))];
}

/** parseProfile reads one profile name. */
export function parseProfile(value: string, field = 'profile'): Profile {
  const v = value.trim().toLowerCase();
  if ((profiles as readonly string[]).includes(v)) return v as Profile;
  throw new InvalidRequestError(`${field}: unknown profile ${JSON.stringify(value)}; use server, client or peer`);
}

/**
 * chooseProfile picks a request's profile under an issuer: the requested one if the issuer allows
 * it, else (nothing requested) `server` when allowed, else the issuer's first profile.
 */
export function chooseProfile(requested: string | undefined, allowed: readonly Profile[], issuer: string): Profile {
  if (requested !== undefined && requested.trim() !== '') {
    const p = parseProfile(requested);
    if (!allowed.includes(p)) {
      throw new InvalidRequestError(`profile: issuer ${issuer} does not sign ${p} certificates (allowed: ${allowed.join(', ')})`);
    }
    return p;
  }
  return allowed.includes('server') ? 'server' : (allowed[0] ?? 'server');
}
