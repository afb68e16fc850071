import { html } from '@metacircular/mcdsl';
import type { CAIssuedCertificate } from '@metacircular/proto/metacrypt/v1/ca_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { dataUrl, pemType, sendDownload } from './download-reply.js';
import { formField, formList, formValues } from './form-input.js';
import { redirectTo, sendPage, sendSection } from './metacrypt-page.js';
import { mountParam } from './mount-links.js';
import { timeView } from './time-format.js';
import { apiFor, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

// Each action is one CAService (or AcmeService) call under the session's token: roots and
// issuers are admin only in the API, issuing is the policy's `issue` on ca/{mount}/issuer/{name}
// with its SAN conditions, EAB its `acme` on ca/{mount}/acme.

/** generateRootAction is `POST /pki/:mount/root/generate` (GenerateRoot); back to the CA page. */
export function generateRootAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const b = request.body;
    await apiFor(ctx, request).ca.generateRoot({
      mount,
      subject: formField(b, 'subject').trim(),
      keyType: formField(b, 'key_type'),
      ttl: formField(b, 'ttl').trim(),
    });
    return redirectTo(request, reply, pathTo(webPaths.pki, { mount }));
  };
}

/** importRootAction is `POST /pki/:mount/root/import` (ImportRoot); the key is passed on, never kept or logged. */
export function importRootAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    await apiFor(ctx, request).ca.importRoot({
      mount,
      certPem: formField(request.body, 'cert_pem'),
      keyPem: formField(request.body, 'key_pem'),
    });
    return redirectTo(request, reply, pathTo(webPaths.pki, { mount }));
  };
}

/** createIssuerAction is `POST /pki/:mount/issuers` (CreateIssuer); back to the CA page. */
export function createIssuerAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const b = request.body;
    await apiFor(ctx, request).ca.createIssuer({
      mount,
      name: formField(b, 'name').trim(),
      subject: formField(b, 'subject').trim(),
      keyType: formField(b, 'key_type'),
      ttl: formField(b, 'ttl').trim(),
      maxTtl: formField(b, 'max_ttl').trim(),
      allowedProfiles: formValues(b, 'allowed_profiles'),
    });
    return redirectTo(request, reply, pathTo(webPaths.pki, { mount }));
  };
}

/**
 * issueCertAction is `POST /pki/:mount/issue` (IssueCert). The key Metacrypt generated exists
 * only in this response: as a PEM bundle to save (certificate, chain, key), or on a page that is
 * never cached, with one-time download links built into the page itself.
 */
export function issueCertAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const b = request.body;
    const commonName = formField(b, 'common_name').trim();
    const issued = await apiFor(ctx, request).ca.issueCert({
      mount,
      issuer: formField(b, 'issuer'),
      commonName,
      sans: formList(b, 'sans'),
      ipSans: formList(b, 'ip_sans'),
      profile: formField(b, 'profile'),
      ttl: formField(b, 'ttl').trim(),
      keyType: formField(b, 'key_type'),
    });
    const base = commonName.replace(/^\*\./, 'wildcard.') || issued.serial;
    if (formField(b, 'output') === 'download') {
      return sendDownload(reply, `${base}.pem`, pemType, issued.certPem + issued.chainPem + issued.keyPem);
    }
    return sendPage(ctx, request, reply, { title: 'Certificate issued', body: issuedView(mount, base, issued) });
  };
}

function issuedView(mount: string, base: string, issued: CAIssuedCertificate): ReturnType<typeof html> {
  // prettier-ignore
  return html`<section id="pki-issued" data-serial="${issued.serial}">
<h1>Certificate issued</h1>
<p>Serial <a href="${pathTo(webPaths.pkiCert, { mount, serial: issued.serial })}"><code id="issued-serial">${issued.serial}</code></a>, valid until ${timeView(issued.notAfter)}.</p>
<p class="secret">The private key is shown this once: Metacrypt does not keep it. Save it now.</p>
<p><a id="download-issued-cert" download="${base}.crt.pem" href="${dataUrl(pemType, issued.certPem)}">certificate</a> ·
<a id="download-issued-chain" download="${base}.chain.pem" href="${dataUrl(pemType, issued.chainPem)}">chain</a> ·
<a id="download-issued-fullchain" download="${base}.fullchain.pem" href="${dataUrl(pemType, issued.certPem + issued.chainPem)}">certificate and chain</a> ·
<a id="download-issued-key" download="${base}.key.pem" href="${dataUrl(pemType, issued.keyPem)}">private key</a></p>
<h2>Certificate</h2><textarea id="issued-cert" readonly rows="8">${issued.certPem}</textarea>
<h2>Chain (issuer, then root)</h2><textarea id="issued-chain" readonly rows="8">${issued.chainPem}</textarea>
${issued.keyPem && html`<h2>Private key</h2><textarea id="issued-key" readonly rows="6">${issued.keyPem}</textarea>`}
<p><a href="${pathTo(webPaths.pki, { mount })}">Back to ${mount}</a></p>
</section>`;
}

/** createEabAction is `POST /pki/:mount/eab` (CreateEAB): the key id and HMAC key, shown once. */
export function createEabAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const eab = await apiFor(ctx, request).acme.createEAB({ mount, issuer: formField(request.body, 'issuer') });
    // prettier-ignore
    const result = html`<div id="eab-result">
<p class="secret">Shown once; good for one account registration until ${timeView(eab.expiresAt)} (issuer ${eab.issuer}).</p>
<dl><dt>Key id (--eab-kid)</dt><dd><code id="eab-kid">${eab.kid}</code></dd>
<dt>HMAC key (--eab-hmac-key)</dt><dd><code id="eab-hmac">${eab.hmacKey}</code></dd></dl>
</div>`;
    return sendSection(ctx, request, reply, `CA ${mount}`, result);
  };
}
