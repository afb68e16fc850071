import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { PreconditionError } from '@metacircular/mcdsl';
import { writeFileAtomic } from '../../atomic-write.js';
import { isLeafCurrent, serviceCertLifetimeDays } from '../../pki/service-cert.js';
import type { ServiceCertRequest } from '../../pki/service-cert.js';
import { writeSecretFile } from '../../secret-file.js';
import type { ServiceContext } from '../service-definition.js';
import { withAdminToken } from './metacrypt-admin-session.js';
import { metacryptAPI, pkiMount } from './metacrypt-bootstrap.js';
import type { MetacryptIssueRequest } from './metacrypt-api.js';

/** serviceCertIssuer is the issuer of the `pki` mount that signs the platform's service leaves. */
export const serviceCertIssuer = 'infra';

/** serviceCertTtl is a service leaf's lifetime: one year, like the seed leaves (the infra issuer's cap). */
export const serviceCertTtl = `${serviceCertLifetimeDays * 24}h`;

/**
 * issueMetacryptServiceCert is Metacrypt's issueServiceCert: a service started after Metacrypt
 * gets its TLS leaf from the `pki` mount's `infra` issuer, written as leaf + chain (infra, root)
 * to its cert file and the key to its key file (0600), before it starts. A leaf that is still
 * right (signed by the current infra issuer, which chains to the seed root; the same names; its
 * key; more than 30 days left) is kept without logging in, so a re-run does not reissue. `ctx`
 * is Metacrypt's own context. Profile `peer`: the same pair serves TLS and mTLS.
 */
export async function issueMetacryptServiceCert(ctx: ServiceContext, request: ServiceCertRequest): Promise<{ issued: boolean }> {
  const api = metacryptAPI(ctx);
  try {
    const issuer = await api.issuer(pkiMount, serviceCertIssuer);
    if (issuer === undefined) {
      throw new PreconditionError(
        `Metacrypt has no issuer '${serviceCertIssuer}' in mount '${pkiMount}' to sign ${request.hostname}; ` +
          'run mc up again to recreate it',
      );
    }
    if (isCurrentLeaf(request, issuer.cert_pem, readFileSync(ctx.caCertPath, 'utf8'))) return { issued: false };
    const issued = await withAdminToken(ctx, (token) => api.issue(token, pkiMount, leafRequest(request)));
    writeSecretFile(request.keyPath, endLine(issued.key_pem));
    writeFileAtomic(request.certPath, endLine(issued.cert_pem) + endLine(issued.chain_pem), 0o644);
    return { issued: true };
  } finally {
    api.close();
  }
}

/** leafRequest is the issue request for a service leaf: its hostname as CN, its DNS and IP SANs. */
export function leafRequest(request: ServiceCertRequest): MetacryptIssueRequest {
  return {
    issuer: serviceCertIssuer,
    common_name: request.hostname,
    sans: request.subjectAltNames.filter((name) => isIP(name) === 0),
    ip_sans: request.subjectAltNames.filter((name) => isIP(name) !== 0),
    profile: 'peer',
    ttl: serviceCertTtl,
  };
}

/**
 * isCurrentLeaf answers "can the leaf in the request's files be kept?": it is signed by
 * `issuerPem`, which is signed by `rootPem`, its key is the key file's, it names exactly the
 * requested SANs and has more than 30 days left. Any unreadable or foreign file means no.
 */
export function isCurrentLeaf(request: ServiceCertRequest, issuerPem: string, rootPem: string, now = Date.now()): boolean {
  return isLeafCurrent(
    request,
    (cert) => {
      const issuer = new X509Certificate(issuerPem);
      const root = new X509Certificate(rootPem);
      return (
        cert.checkIssued(issuer) && cert.verify(issuer.publicKey) && issuer.checkIssued(root) && issuer.verify(root.publicKey)
      );
    },
    now,
  );
}

function endLine(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}
