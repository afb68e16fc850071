import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { CACertificate } from '@metacircular/proto/metacrypt/v1/ca_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pemType, sendDownload } from './download-reply.js';
import { formField, routeParam } from './form-input.js';
import { csrfInput, noticeView, sendPage, sendSection } from './metacrypt-page.js';
import { mountParam } from './mount-links.js';
import { timeView } from './time-format.js';
import { apiFor, csrfFor, type CsrfField, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

const reasons = [
  'unspecified',
  'key_compromise',
  'ca_compromise',
  'affiliation_changed',
  'superseded',
  'cessation_of_operation',
  'certificate_hold',
  'privilege_withdrawn',
] as const;

/** certPage is `GET /pki/:mount/certs/:serial` (GetCert, policy `read`): the record, its PEM and the revoke form. */
export function certPage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const cert = await apiFor(ctx, request).ca.getCert({ mount, serial: routeParam(request.params, 'serial') });
    return sendPage(ctx, request, reply, {
      title: `Certificate ${cert.serial}`,
      body: certView(mount, cert, csrfFor(ctx, reply)),
    });
  };
}

/** revokeCertAction is `POST /pki/:mount/certs/:serial/revoke` (RevokeCert, policy `revoke`): the CRL is reissued. */
export function revokeCertAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const serial = routeParam(request.params, 'serial');
    const cert = await apiFor(ctx, request).ca.revokeCert({ mount, serial, reason: formField(request.body, 'reason') });
    const view = certView(mount, cert, csrfFor(ctx, reply), `Certificate ${serial} revoked.`);
    return sendSection(ctx, request, reply, `Certificate ${serial}`, view);
  };
}

/** certPemDownload is `GET /pki/:mount/certs/:serial/cert.pem`: the certificate alone. */
export function certPemDownload(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const cert = await apiFor(ctx, request).ca.getCert({ mount, serial: routeParam(request.params, 'serial') });
    return sendDownload(reply, `${cert.serial}.pem`, pemType, cert.certPem);
  };
}

/** rootPemDownload is `GET /pki/:mount/ca.pem` (GetRoot, public in the API). */
export function rootPemDownload(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const root = await apiFor(ctx, request).ca.getRoot({ mount });
    return sendDownload(reply, `${mount}-root.pem`, pemType, root.certPem);
  };
}

/** chainPemDownload is `GET /pki/:mount/chain.pem[?issuer=name]` (GetChain): issuer(s) then the root. */
export function chainPemDownload(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const issuer = formField(request.query, 'issuer');
    const { chainPem } = await apiFor(ctx, request).ca.getChain({ mount, issuer });
    return sendDownload(reply, `${mount}${issuer ? `-${issuer}` : ''}-chain.pem`, pemType, chainPem);
  };
}

function certView(mount: string, c: CACertificate, csrf: CsrfField, notice?: string): SafeHTML {
  const revokePath = pathTo(webPaths.pkiRevoke, { mount, serial: c.serial });
  // prettier-ignore
  return html`<section id="pki-cert" data-serial="${c.serial}" data-revoked="${c.revoked ? 'true' : 'false'}">
<h1>Certificate <code>${c.serial}</code></h1>
${notice && noticeView(notice)}
<dl>
<dt>Common name</dt><dd id="cert-cn">${c.commonName}</dd>
<dt>DNS names</dt><dd>${c.sans.join(', ')}</dd>
<dt>IP addresses</dt><dd>${c.ipSans.join(', ')}</dd>
<dt>Issuer</dt><dd>${c.issuer}</dd>
<dt>Profile</dt><dd>${c.profile}</dd>
<dt>Key</dt><dd>${c.keyType}</dd>
<dt>Valid</dt><dd>${timeView(c.notBefore)} to ${timeView(c.notAfter)}</dd>
<dt>Issued by</dt><dd>${c.issuedBy} (${c.source})</dd>
${c.renewedFrom && html`<dt>Renews</dt><dd><a href="${pathTo(webPaths.pkiCert, { mount, serial: c.renewedFrom })}"><code>${c.renewedFrom}</code></a></dd>`}
<dt>Status</dt><dd id="cert-status">${c.revoked ? html`revoked ${timeView(c.revokedAt)} (${c.revocationReason})` : 'valid'}</dd>
</dl>
<p><a id="download-cert" href="${pathTo(webPaths.pkiCertPem, { mount, serial: c.serial })}">Download the certificate (PEM)</a> ·
<a href="${pathTo(webPaths.pkiChainPem, { mount })}?issuer=${encodeURIComponent(c.issuer)}">its chain</a></p>
<textarea readonly rows="8">${c.certPem}</textarea>
${!c.revoked && html`<form id="revoke-cert" method="post" action="${revokePath}" hx-post="${revokePath}" hx-target="#pki-cert" hx-swap="outerHTML"
 hx-confirm="Revoke ${c.serial}? This cannot be undone.">
${csrfInput(csrf)}
<p><label for="revoke-reason">Reason</label><select id="revoke-reason" name="reason">${reasons.map((r) => html`<option value="${r}">${r}</option>`)}</select>
<button type="submit" id="revoke-submit">Revoke</button></p>
</form>`}
<p><a href="${pathTo(webPaths.pki, { mount })}">Back to ${mount}</a></p>
</section>`;
}
