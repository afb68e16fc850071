import { ConflictError, NotFoundError } from '@metacircular/mcdsl';
import type { OpContext } from '../../engine/index.js';
import { certsResource, type CaContext } from './ca-context.js';
import type { CertRecord } from './ca-store.js';
import { signNextCrl } from './crl-signing.js';
import { parseReason } from './revocation-reason.js';
import { normalizeSerial } from './serial-number.js';

/**
 * revoke marks a leaf revoked and signs its issuer's CRL again with the serial on it, in one
 * transaction (a revocation is never recorded without its CRL, nor the reverse). Checks, in order:
 * the serial and reason parse (400), policy allows `revoke` on ca/{mount}/certs (403; before the
 * lookup, so a refused caller learns nothing about which serials exist), the certificate exists
 * (404), it is not revoked already (409, code ERR_ALREADY_REVOKED, which ACME reports as
 * alreadyRevoked).
 */
export function revoke(
  c: CaContext,
  ctx: OpContext,
  serialText: string,
  reasonText?: string,
  opts: { readonly holderProven?: boolean } = {},
): CertRecord {
  const serial = normalizeSerial(serialText);
  const reason = parseReason(reasonText);
  // a holder's proof (ACME: account or certificate key) replaces the policy check
  if (!opts.holderProven) ctx.authorize('revoke', certsResource(c.mount));
  const record = c.store.cert(serial);
  if (!record) throw new NotFoundError(`certificate ${serial} not found in mount ${c.mount}`);
  if (record.revokedAt !== undefined) {
    throw new ConflictError(`certificate ${serial} is already revoked`, { code: 'ERR_ALREADY_REVOKED' });
  }
  const issuer = c.keyring.loadIssuer(record.issuer);
  const now = c.now();
  const revokedAt = new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString();
  const updated: CertRecord = { ...record, revokedAt, revocationReason: reason.name };
  c.store.view.transaction(() => {
    const previous = c.store.crl(record.issuer);
    const entries = [...(previous?.entries ?? []), { serial, revokedAt, reasonCode: reason.code }];
    c.store.putCrl(record.issuer, signNextCrl(issuer.signer, issuer.cert, previous, entries, now));
    c.store.putCert(updated);
  });
  ctx.note({ serial, issuer: record.issuer, reason: reason.name });
  return updated;
}
