import { X509Certificate } from 'node:crypto';
import { ConflictError } from '@metacircular/mcdsl';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { AcmeProblem } from './acme-problem.js';
import { callerOfOwner, type CertRecord } from './acme-store.js';
import { accountOf, requireOwner, type AcmeCall, type AcmeReply } from './acme-call.js';
import { thumbprint } from './jws.js';

/** pemChainType is the media type of a certificate download (RFC 8555 §9.1). */
export const pemChainType = 'application/pem-certificate-chain';

/** getCert answers POST-as-GET on cert/{id} with the leaf and its chain, PEM (RFC 8555 §7.4.2). */
export function getCert(call: AcmeCall): AcmeReply {
  const cert = requireOwner(call.store.cert(call.id), accountOf(call), 'certificate');
  return { status: 200, body: cert.pem, contentType: pemChainType };
}

// RFC 5280 CRLReason codes a subscriber may give (RFC 8555 §7.6; cA/aA compromise, hold and
// removeFromCRL are the CA's business).
const reasons: Readonly<Record<number, string>> = {
  0: 'unspecified',
  1: 'keyCompromise',
  3: 'affiliationChanged',
  4: 'superseded',
  5: 'cessationOfOperation',
};

/**
 * revokeCert revokes a certificate this ACME server issued (RFC 8555 §7.6). Checks, in order:
 *   1. `certificate` is a base64url DER certificate this mount's ACME server issued -> malformed / 404
 *   2. `reason`, when given, is one of 0, 1, 3, 4, 5                                 -> badRevocationReason
 *   3. the request is signed by the account that ordered it (`kid`) or by the
 *      certificate's own key (`jwk`)                                                 -> unauthorized
 *   4. it is not revoked yet                                                         -> alreadyRevoked
 * Possession is the authority here, so the CA's `revoke` policy check is satisfied for this one
 * serial (the EAB owner usually holds `issue` only); the audit record names the ordering account's owner.
 */
export async function revokeCert(call: AcmeCall): Promise<AcmeReply> {
  const payload = call.request.payload;
  const field = payload?.certificate;
  if (typeof field !== 'string' || !/^[A-Za-z0-9_-]+$/.test(field))
    throw new AcmeProblem('malformed', 'revoke-cert needs "certificate": the DER certificate, base64url');
  const der = Buffer.from(field, 'base64url');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    throw new AcmeProblem('malformed', '"certificate" is not a DER X.509 certificate');
  }
  const certId = call.store.certIdBySerial(x509.serialNumber);
  const cert = certId === undefined ? undefined : call.store.cert(certId);
  if (!cert || !sameLeaf(cert, der)) throw new AcmeProblem('malformed', 'this acme server did not issue that certificate', 404);
  const reasonCode = payload?.reason ?? 0;
  const reason = typeof reasonCode === 'number' ? reasons[reasonCode] : undefined;
  if (reason === undefined)
    throw new AcmeProblem('badRevocationReason', 'reason must be one of 0, 1, 3, 4, 5 (RFC 5280 CRLReason)');

  if (call.request.account) {
    if (call.request.account.id !== cert.accountId)
      throw new AcmeProblem('unauthorized', 'only the account that ordered a certificate, or its key, can revoke it', 403);
  } else {
    const certKey = x509.publicKey.export({ format: 'jwk' }) as JWK;
    const signer = call.request.jwk;
    if (!signer || (await thumbprint(signer)) !== (await calculateJwkThumbprint(certKey, 'sha256')))
      throw new AcmeProblem('unauthorized', 'revoke-cert with a "jwk" must be signed by the certificate key', 403);
  }
  const owner = call.store.account(cert.accountId)?.owner;
  if (!owner) throw new AcmeProblem('serverInternal', 'the ordering account of this certificate is missing', 500);
  if (cert.revoked) throw new AcmeProblem('alreadyRevoked', `certificate ${cert.serial} is already revoked`);

  const ctx = call.host.context(callerOfOwner(owner), call.mount);
  call.store.view.transaction(() => {
    try {
      call.engine.revokeAsHolder(ctx, cert.serial, reason);
    } catch (err) {
      if (err instanceof ConflictError) throw new AcmeProblem('alreadyRevoked', `certificate ${cert.serial} is already revoked`);
      throw err;
    }
    call.store.putCert({ ...cert, revoked: true });
  });
  call.host.audit({
    caller: callerOfOwner(owner),
    action: 'acme.revoke-cert',
    mount: call.mount,
    resource: `ca/${call.mount}/certs`,
    result: 'allow',
    detail: { serial: cert.serial, reason, by: call.request.account ? 'account' : 'certificate-key' },
  });
  return { status: 200 };
}

// The stored chain starts with the leaf; the request must name that exact certificate.
function sameLeaf(cert: CertRecord, der: Buffer): boolean {
  try {
    return new X509Certificate(cert.pem).raw.equals(der);
  } catch {
    return false;
  }
}
