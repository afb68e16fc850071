import { ForbiddenError, InvalidRequestError, NotFoundError, parseDuration } from '@metacircular/mcdsl';
import type { OpContext } from '../../engine/index.js';
import { anyPrincipalMatches } from './principal-glob.js';
import type { SSHCAKey } from './ssh-ca-key.js';
import { signSSHCertificate, type SSHCertType } from './ssh-certificate.js';
import { checkPrincipal } from './ssh-profile.js';
import { parseSSHPublicKey } from './ssh-public-key.js';
import type { SSHCAStore, SSHCertRecord } from './sshca-storage.js';

/** SignCertRequest is a sign/user or sign/host request (spec §7.2). */
export interface SignCertRequest {
  /** profile name; "default" when empty */
  readonly profile?: string;
  /** one OpenSSH public key line */
  readonly publicKey: string;
  readonly principals?: readonly string[];
  /** Go duration; empty: the profile's default_ttl */
  readonly ttl?: string;
  /** optional label appended to the key id */
  readonly keyId?: string;
}

/** SignedCert is what signing returns. */
export interface SignedCert {
  readonly serial: number;
  /** the `*-cert.pub` line */
  readonly certificate: string;
  readonly keyId: string;
  readonly principals: readonly string[];
  readonly validAfter: Date;
  readonly validBefore: Date;
  /** true when the requested ttl was longer than the profile's max_ttl and was cut to it */
  readonly ttlCapped: boolean;
}

/** SignerDeps is what signing needs from its engine. */
export interface SignerDeps {
  readonly mount: string;
  readonly store: SSHCAStore;
  readonly caFor: (certType: SSHCertType) => SSHCAKey;
  readonly now: () => Date;
}

// valid_after is set this far in the past so hosts with a slow clock accept a fresh certificate.
const clockSkewMs = 60_000;
const maxPrincipals = 64;
const keyIdLabelPattern = /^[A-Za-z0-9._@+-]{1,64}$/;

/**
 * signCert signs a certificate of certType under a profile. Checks, in order, each with its own
 * error (nothing is stored unless all pass):
 *  1. public_key parses and is a valid key (400);
 *  2. the profile exists (404) and signs this cert type (400);
 *  3. the key's type is in the profile's allowed_key_types (400);
 *  4. principals (requested, else the profile's defaults, else for user certs the caller's
 *     username) are exact names (400); ttl parses (400) and is cut to max_ttl; key_id is a label (400);
 *  5. policy allows sign-user / sign-host on sshca/{mount}/profile/{profile}, with the principals
 *     as `sans` and the lifetime as `ttlMs` for the rule's conditions (403);
 *  6. every principal matches the profile's allowed_principals, except that a user certificate
 *     may always name the caller's own username (403).
 * Then the serial is taken and the certificate signed and recorded in one transaction.
 */
export function signCert(deps: SignerDeps, ctx: OpContext, certType: SSHCertType, req: SignCertRequest): SignedCert {
  const key = parseSSHPublicKey(req.publicKey);
  const profileName = req.profile || 'default';
  const profile = deps.store.profile(profileName);
  if (!profile) throw new NotFoundError(`profile: "${profileName}" does not exist on mount ${deps.mount}`);
  if (profile.certType !== certType) {
    throw new InvalidRequestError(
      `profile: "${profileName}" signs ${profile.certType} certificates; use sign/${profile.certType}`,
    );
  }
  if (!profile.allowedKeyTypes.includes(key.keyType)) {
    throw new InvalidRequestError(
      `public_key: profile "${profileName}" does not sign ${key.keyType} keys; use one of ${profile.allowedKeyTypes.join(', ')}`,
    );
  }
  const username = ctx.caller.username;
  const principals = choosePrincipals(req.principals ?? [], profile.defaultPrincipals, certType, username);
  let ttlMs = profile.defaultTtlMs;
  if (req.ttl) {
    try {
      ttlMs = parseDuration(req.ttl);
    } catch {
      throw new InvalidRequestError(`ttl: invalid duration "${req.ttl}"; use Go syntax like "8h"`);
    }
    if (ttlMs <= 0) throw new InvalidRequestError('ttl: must be positive');
  }
  const ttlCapped = ttlMs > profile.maxTtlMs;
  ttlMs = Math.min(ttlMs, profile.maxTtlMs);
  if (req.keyId && !keyIdLabelPattern.test(req.keyId)) {
    throw new InvalidRequestError('key_id: use 1 to 64 letters, digits or ._@+-');
  }

  const action = certType === 'user' ? 'sign-user' : 'sign-host';
  ctx.authorize(action, `sshca/${deps.mount}/profile/${profileName}`, { sans: principals, ttlMs });
  for (const p of principals) {
    const own = certType === 'user' && p === username;
    if (!own && !anyPrincipalMatches(profile.allowedPrincipals, p)) {
      throw new ForbiddenError(`principals: "${p}" is not allowed by profile "${profileName}"`);
    }
  }

  const now = deps.now();
  const validAfter = new Date(Math.floor((now.getTime() - clockSkewMs) / 1000) * 1000);
  const validBefore = new Date(Math.floor((now.getTime() + ttlMs) / 1000) * 1000);
  return deps.store.view.transaction(() => {
    const serial = deps.store.takeSerial();
    const keyId = `${username}@metacrypt:${serial}` + (req.keyId ? `:${req.keyId}` : '');
    const { line } = signSSHCertificate(
      {
        key,
        serial,
        certType,
        keyId,
        principals,
        validAfter: validAfter.getTime() / 1000,
        validBefore: validBefore.getTime() / 1000,
        criticalOptions: profile.criticalOptions,
        extensions: profile.extensions,
      },
      deps.caFor(certType),
    );
    const record: SSHCertRecord = {
      serial,
      certType,
      profile: profileName,
      keyId,
      principals,
      validAfter: validAfter.toISOString(),
      validBefore: validBefore.toISOString(),
      issuedBy: username,
      issuedAt: now.toISOString(),
      keyType: key.keyType,
      fingerprint: key.fingerprint,
      certificate: line,
    };
    deps.store.putCert(record);
    ctx.note({
      serial,
      profile: profileName,
      principals,
      key_type: key.keyType,
      fingerprint: key.fingerprint,
      ttl_capped: ttlCapped,
    });
    return { serial, certificate: line, keyId, principals, validAfter, validBefore, ttlCapped };
  });
}

function choosePrincipals(
  requested: readonly string[],
  defaults: readonly string[],
  certType: SSHCertType,
  username: string,
): string[] {
  const chosen = requested.length > 0 ? requested : defaults.length > 0 ? defaults : certType === 'user' ? [username] : [];
  if (chosen.length === 0) throw new InvalidRequestError('principals: name the host names this certificate is for');
  if (chosen.length > maxPrincipals) throw new InvalidRequestError(`principals: at most ${maxPrincipals}`);
  for (const p of chosen) checkPrincipal('principals', p, false);
  return [...new Set(chosen)];
}
