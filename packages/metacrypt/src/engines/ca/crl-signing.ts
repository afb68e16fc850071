import type { CaCertificate } from './ca-certificate.js';
import type { CrlEntryRecord, CrlRecord } from './ca-store.js';
import { signCrl, type Signer } from './certificate-builder.js';
import { crlExtensions, crlReasonExtension } from './certificate-extensions.js';

/**
 * CRLs: one per issuer (listing the leaves it revoked) and one for the root (listing revoked
 * issuers; empty until issuer revocation exists). Each is signed again, with the next CRL number,
 * on every revocation and whenever a reader finds it within a day of its nextUpdate.
 */

/** crlLifetimeMs is a CRL's nextUpdate distance: 7 days (spec §6.3). */
export const crlLifetimeMs = 7 * 24 * 3_600_000;

/** crlRefreshMs is how long before nextUpdate a served CRL is signed again. */
export const crlRefreshMs = 24 * 3_600_000;

/** signNextCrl signs a CRL listing `entries` with the CRL number after `previous`'s. */
export function signNextCrl(
  signer: Signer,
  ca: CaCertificate,
  previous: CrlRecord | undefined,
  entries: readonly CrlEntryRecord[],
  now: Date,
): CrlRecord {
  const crlNumber = (previous?.crlNumber ?? 0) + 1;
  const thisUpdate = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const nextUpdate = new Date(thisUpdate.getTime() + crlLifetimeMs);
  const der = signCrl(
    {
      thisUpdate,
      nextUpdate,
      entries: entries.map((e) => ({
        serialHex: e.serial,
        revokedAt: new Date(e.revokedAt),
        reasonExtension: e.reasonCode === 0 ? undefined : crlReasonExtension(e.reasonCode),
      })),
      extensions: crlExtensions(ca.keyId, crlNumber),
    },
    signer,
  );
  return {
    crlNumber,
    thisUpdate: thisUpdate.toISOString(),
    nextUpdate: nextUpdate.toISOString(),
    der: der.toString('base64'),
    entries: [...entries],
  };
}

/** crlIsStale reports whether a CRL should be signed again before it is served. */
export function crlIsStale(crl: CrlRecord, now: Date): boolean {
  return now.getTime() >= Date.parse(crl.nextUpdate) - crlRefreshMs;
}
