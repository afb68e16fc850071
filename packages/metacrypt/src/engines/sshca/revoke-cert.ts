import { ConflictError, InvalidRequestError, NotFoundError } from '@metacircular/mcdsl';
import type { OpContext } from '../../engine/index.js';
import { buildKRL, readKRLHeader, type RevokedSerials } from './krl.js';
import type { SignerDeps } from './sign-cert.js';
import type { SSHCertRecord } from './sshca-storage.js';

// A revoked certificate leaves the KRL a day after it expires: sshd refuses it by then anyway,
// and the day covers hosts whose clocks run slow.
const keepAfterExpiryMs = 24 * 3_600_000;

/**
 * revokeCert marks a certificate revoked and rewrites the mount's KRL with a higher version, in
 * one transaction. Unknown serial: 404; already revoked: 409. The access table limits it to admins.
 */
export function revokeCert(deps: SignerDeps, ctx: OpContext, serial: number): SSHCertRecord {
  if (!Number.isSafeInteger(serial) || serial < 1) throw new InvalidRequestError('serial: must be a positive whole number');
  return deps.store.view.transaction(() => {
    const record = deps.store.cert(serial);
    if (!record) throw new NotFoundError(`serial: certificate ${serial} does not exist on mount ${deps.mount}`);
    if (record.revokedAt) throw new ConflictError(`serial: certificate ${serial} was already revoked at ${record.revokedAt}`);
    const revoked: SSHCertRecord = { ...record, revokedAt: deps.now().toISOString() };
    deps.store.putCert(revoked);
    const version = writeKRL(deps);
    ctx.note({ serial, profile: record.profile, principals: record.principals, krl_version: Number(version) });
    return revoked;
  });
}

/**
 * writeKRL rebuilds the KRL from the certificate records (revoked and not long expired),
 * grouped by the CA key that signed them, stores it at `krl` and returns its version: the
 * stored KRL's version plus one (1 for the first).
 */
export function writeKRL(deps: SignerDeps): bigint {
  const now = deps.now();
  const previous = deps.store.krl();
  const version = (previous ? readKRLHeader(previous).version : 0n) + 1n;
  const byCA = new Map<string, { caKey: Buffer; serials: number[] }>();
  for (const r of deps.store.certs()) {
    if (!r.revokedAt || Date.parse(r.validBefore) + keepAfterExpiryMs < now.getTime()) continue;
    const caKey = deps.caFor(r.certType).publicBlob;
    const entry = byCA.get(caKey.toString('base64')) ?? { caKey, serials: [] };
    entry.serials.push(r.serial);
    byCA.set(caKey.toString('base64'), entry);
  }
  const revoked: RevokedSerials[] = [...byCA.values()];
  deps.store.putKRL(buildKRL({ version, generatedAt: now, comment: `metacrypt sshca ${deps.mount}`, revoked }));
  return version;
}
