import { randomBytes } from 'node:crypto';
import { RateLimitedError, type Caller } from '@metacircular/mcdsl';
import { AcmeProblem } from './acme-problem.js';
import { newId, ownerOf, type AcmeStore, type EabRecord } from './acme-store.js';
import { scheduleEab, sweepExpired } from './acme-sweep.js';
import { algorithmOf, parseJws, publicJwk, thumbprint, verifyJws, type PublicJwk } from './jws.js';

/**
 * External Account Binding (RFC 8555 §7.3.4). Metacrypt requires it: an ACME account can only be
 * registered with credentials an MCIAS-authenticated caller obtained through the EAB API, and the
 * account then acts as that caller. Credentials are one-time and expire after 24 hours.
 */

/** eabLifetimeMs is how long EAB credentials stay usable. */
export const eabLifetimeMs = 24 * 3_600_000;

/** maxOutstandingEabs is how many unused, unexpired credentials one MCIAS user may hold per mount. */
export const maxOutstandingEabs = 20;

/** EabCredentials is what the EAB API returns (the HMAC key is shown once, here). */
export interface EabCredentials {
  readonly kid: string;
  /** 32 random bytes, base64url */
  readonly hmacKey: string;
  readonly issuer: string;
  readonly expiresAt: Date;
}

// A value starting with "-" or "_" trips command-line parsers (certbot --eab-hmac-key -x... is
// read as an option), so both values are drawn again until they start with a letter or digit.
function cliSafe(draw: () => string): string {
  for (;;) {
    const value = draw();
    if (/^[A-Za-z0-9]/.test(value)) return value;
  }
}

/**
 * createEab stores new credentials bound to `caller` and `issuer`, in one transaction that first
 * sweeps expired ACME records (bounded, acme-sweep.ts) and then refuses with RateLimitedError
 * (429) when the caller already holds maxOutstandingEabs unused, unexpired credentials.
 */
export function createEab(store: AcmeStore, caller: Caller, issuer: string, now: Date): EabCredentials {
  return store.view.transaction(() => {
    sweepExpired(store, now);
    if (outstandingEabs(store, caller.username, now) >= maxOutstandingEabs)
      throw new RateLimitedError(
        `${caller.username} already holds ${maxOutstandingEabs} unused eab credentials; ` +
          'register an acme account with one of them or wait until they expire (24 h)',
        { code: 'ERR_TOO_MANY_EABS' },
      );
    const kid = cliSafe(newId);
    const hmacKey = cliSafe(() => randomBytes(32).toString('base64url'));
    const expiresAt = new Date(now.getTime() + eabLifetimeMs);
    const record: EabRecord = {
      kid,
      hmacKey,
      issuer,
      owner: ownerOf(caller),
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    store.putEab(record);
    scheduleEab(store, record);
    return { kid, hmacKey, issuer, expiresAt };
  });
}

// outstandingEabs counts a user's unused, unexpired credentials, dropping index entries of used,
// expired or deleted ones on the way (so the index stays about as small as the cap).
function outstandingEabs(store: AcmeStore, username: string, now: Date): number {
  let count = 0;
  for (const kid of store.eabKidsOf(username)) {
    const eab = store.eab(kid);
    if (eab && eab.usedAt === undefined && Date.parse(eab.expiresAt) > now.getTime()) count++;
    else store.deleteEabOwner(username, kid);
  }
  return count;
}

const macAlgorithms = ['HS256', 'HS384', 'HS512'];

/**
 * verifyEab checks the `externalAccountBinding` member of a new-account payload, in this order:
 *   1. a flattened JWS with a MAC algorithm, no nonce, and `url` equal to the outer request's
 *   2. `kid` names stored credentials that are unused and unexpired
 *   3. the MAC verifies with the stored HMAC key
 *   4. the payload is the account key that signed the outer JWS
 * It changes nothing: consumeEab marks the credentials used once the account is written.
 * Unknown, used and expired credentials get the same message, so probing learns nothing.
 */
export async function verifyEab(
  store: AcmeStore,
  binding: unknown,
  accountKey: PublicJwk,
  outerUrl: string,
  now: Date,
): Promise<EabRecord> {
  const { jws, header } = parseJws(binding);
  if (!macAlgorithms.includes(header.alg))
    throw new AcmeProblem('malformed', `externalAccountBinding must be signed with HS256, HS384 or HS512, not ${header.alg}`);
  if (header.nonce !== undefined) throw new AcmeProblem('malformed', 'externalAccountBinding must not carry a nonce');
  if (header.url !== outerUrl) throw new AcmeProblem('malformed', 'externalAccountBinding url must equal the new-account url');
  if (header.kid === undefined || header.jwk !== undefined)
    throw new AcmeProblem('malformed', 'externalAccountBinding must name its key with "kid" (the eab key id)');
  const record = store.eab(header.kid);
  const unusable = new AcmeProblem(
    'unauthorized',
    'external account binding credentials are unknown, used or expired; request new ones from POST /v1/acme/{mount}/eab',
    403,
  );
  if (!record || record.usedAt !== undefined || Date.parse(record.expiresAt) <= now.getTime()) throw unusable;
  try {
    await verifyJws(jws, header.alg, Buffer.from(record.hmacKey, 'base64url'));
  } catch {
    throw new AcmeProblem('unauthorized', 'externalAccountBinding signature does not verify with the eab hmac key', 403);
  }
  let boundKey: PublicJwk;
  try {
    const payload: unknown = JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8'));
    boundKey = publicJwk(payload, algorithmOf(accountKey));
  } catch {
    throw new AcmeProblem('malformed', 'externalAccountBinding payload must be the account public key (jwk)');
  }
  if ((await thumbprint(boundKey)) !== (await thumbprint(accountKey)))
    throw new AcmeProblem('malformed', 'externalAccountBinding payload is not the key that signed the request');
  return record;
}

/**
 * consumeEab marks credentials used by `accountId`; it throws if another request used them in
 * the meantime (the caller runs it inside the transaction that writes the account).
 */
export function consumeEab(store: AcmeStore, kid: string, accountId: string, now: Date): EabRecord {
  const record = store.eab(kid);
  if (!record || record.usedAt !== undefined)
    throw new AcmeProblem('unauthorized', 'external account binding credentials were used by another request', 403);
  const used = { ...record, usedAt: now.toISOString(), accountId };
  store.putEab(used);
  store.deleteEabOwner(record.owner.username, kid);
  return used;
}
