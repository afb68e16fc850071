import * as x509 from '@peculiar/x509';
import { ForbiddenError, InvalidRequestError, NotFoundError } from '@metacircular/mcdsl';
import { orderObject } from './acme-objects.js';
import { AcmeProblem } from './acme-problem.js';
import { settleOrder } from './acme-state.js';
import { callerOfOwner, newId, type CertRecord, type OrderRecord } from './acme-store.js';
import { accountOf, issuerResource, ownerContext, requireOwner, type AcmeCall, type AcmeReply } from './acme-call.js';

/**
 * finalizeOrder issues the certificate of a ready order (RFC 8555 §7.4). Checks, in order:
 *   1. the order is the signer's                                  -> 404 malformed
 *   2. the payload carries a base64url DER `csr`                   -> malformed
 *   3. the order is ready (every authorization valid)              -> orderNotReady
 *   4. the CSR parses and asks for exactly the order's names        -> badCSR
 *   5. CaEngine.signCsr (action `issue` as the EAB owner): CSR signature, key type, policy
 *      with the names as SANs                                      -> badCSR / unauthorized
 * Issuance and the ACME records (certificate, order -> valid) are written in one transaction, so
 * a failure leaves the order ready and nothing issued.
 */
export function finalizeOrder(call: AcmeCall): AcmeReply {
  const account = accountOf(call);
  const stored = requireOwner(call.store.order(call.id), account, 'order');
  const csrField = call.request.payload?.csr;
  if (typeof csrField !== 'string' || !/^[A-Za-z0-9_-]+$/.test(csrField))
    throw new AcmeProblem('malformed', 'finalize needs "csr": the DER CSR, base64url');
  const order = settleOrder(call.store, stored, call.now);
  if (order.status !== 'ready')
    throw new AcmeProblem(
      'orderNotReady',
      `order is ${order.status}; it can be finalized once every authorization is valid`,
      403,
    );
  const der = Buffer.from(csrField, 'base64url');
  const names = csrNames(der);
  const wanted = order.identifiers.map((i) => i.value).sort();
  if (names.length !== wanted.length || names.some((n, i) => n !== wanted[i]))
    throw new AcmeProblem('badCSR', `csr names [${names.join(', ')}] must be exactly the order's names [${wanted.join(', ')}]`);

  const ctx = ownerContext(call, account);
  const certId = newId();
  const finalized = call.store.view.transaction((): OrderRecord => {
    let issued;
    try {
      issued = call.engine.signCsr(ctx, { issuer: account.issuer, csr: der, profile: 'server', dnsNames: wanted }, 'issue');
    } catch (err) {
      if (err instanceof ForbiddenError)
        throw new AcmeProblem(
          'unauthorized',
          `policy no longer allows ${account.owner.username} these names: ${err.message}`,
          403,
        );
      if (err instanceof InvalidRequestError) throw new AcmeProblem('badCSR', err.message);
      if (err instanceof NotFoundError) throw new AcmeProblem('malformed', err.message);
      throw err;
    }
    const pem = ensureNewline(issued.certPem) + ensureNewline(issued.chainPem);
    const cert: CertRecord = { id: certId, accountId: account.id, orderId: order.id, serial: issued.serial, pem };
    const done: OrderRecord = { ...order, status: 'valid', certId };
    call.store.putCert(cert);
    call.store.putOrder(done);
    call.host.audit({
      caller: callerOfOwner(account.owner),
      action: 'acme.finalize',
      mount: call.mount,
      resource: issuerResource(call, account),
      result: 'allow',
      detail: { account: account.id, order: order.id, serial: issued.serial, sans: wanted },
    });
    return done;
  });
  return { status: 200, body: orderObject(call.urls, finalized), location: call.urls.order(order.id) };
}

/** csrNames returns the DNS names a CSR asks for (SANs plus a DNS-like CN), lowercase, sorted, deduplicated. */
export function csrNames(der: Uint8Array): string[] {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(der);
  } catch {
    throw new AcmeProblem('badCSR', 'csr is not a DER PKCS#10 certificate request');
  }
  const names = new Set<string>();
  const ext = csr.getExtension('2.5.29.17');
  if (ext) {
    const san = ext instanceof x509.SubjectAlternativeNameExtension ? ext : new x509.SubjectAlternativeNameExtension(ext.rawData);
    for (const name of san.names.items) {
      if (name.type !== 'dns') throw new AcmeProblem('badCSR', `csr asks for a ${name.type} name; only dns names can be ordered`);
      names.add(name.value.toLowerCase());
    }
  }
  for (const cn of csr.subjectName.getField('CN')) names.add(cn.toLowerCase());
  return [...names].sort();
}

function ensureNewline(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}
