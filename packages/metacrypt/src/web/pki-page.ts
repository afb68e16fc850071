import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { CACertificate, CAIssuer, CARoot } from '@metacircular/proto/metacrypt/v1/ca_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { settle, type Settled } from './api-error.js';
import { csrfInput, errorView, sendPage } from './metacrypt-page.js';
import { mountParam } from './mount-links.js';
import { timeView } from './time-format.js';
import { apiFor, csrfFor, type CsrfField, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

const keyTypes = ['ecdsa-p256', 'ecdsa-p384', 'ed25519'] as const;
const profiles = ['server', 'client', 'peer'] as const;

/**
 * pkiPage is `GET /pki/:mount` (session): the root (or the forms that make one), the issuers,
 * the issue form, ACME EAB credentials and the certificates. Each section shows the API's
 * refusal in place when the caller may not read it (the certificate list needs policy `list`).
 */
export function pkiPage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const api = apiFor(ctx, request);
    const [root, issuers, certs] = await Promise.all([
      settle(api.ca.getRoot({ mount })),
      settle(api.ca.listIssuers({ mount })),
      settle(api.ca.listCerts({ mount })),
    ]);
    const csrf = csrfFor(ctx, reply);
    const issuerNames = issuers.ok ? issuers.value.issuers.map((i) => i.name) : [];
    // prettier-ignore
    const body = html`<h1>CA: ${mount}</h1>
${rootView(mount, root, csrf)}
${issuersView(mount, issuers, csrf)}
${issueFormView(mount, issuerNames, csrf)}
${eabView(mount, issuerNames, csrf)}
${certsView(mount, certs)}`;
    return sendPage(ctx, request, reply, { title: `CA ${mount}`, body });
  };
}

function rootView(mount: string, root: Settled<CARoot>, csrf: CsrfField): SafeHTML {
  if (root.ok) {
    const r = root.value;
    // prettier-ignore
    return html`<section id="pki-root">
<h2>Root CA</h2>
<dl>
<dt>Subject</dt><dd id="pki-root-subject">${r.subject}</dd>
<dt>Key</dt><dd>${r.keyType}${r.imported ? ' (imported)' : ''}</dd>
<dt>Serial</dt><dd><code>${r.serial}</code></dd>
<dt>Valid</dt><dd>${timeView(r.notBefore)} to ${timeView(r.notAfter)}</dd>
</dl>
<p><a id="download-root" href="${pathTo(webPaths.pkiRootPem, { mount })}">Download the root (PEM)</a> ·
<a id="download-chain" href="${pathTo(webPaths.pkiChainPem, { mount })}">Download every issuer and the root (PEM)</a></p>
</section>`;
  }
  const generate = pathTo(webPaths.pkiRootGenerate, { mount });
  const importPath = pathTo(webPaths.pkiRootImport, { mount });
  // prettier-ignore
  return html`<section id="pki-root">
<h2>Root CA</h2>
${errorView(root.problem)}
<p class="muted">Admins only: generate a root here, or import one made offline. Either creates the mount's default issuers.</p>
<form id="generate-root" method="post" action="${generate}">
${csrfInput(csrf)}
<h3>Generate</h3>
<p><label for="root-subject">Subject</label><input id="root-subject" name="subject" size="50" placeholder="CN=Metacrypt ${mount} Root CA"></p>
<p><label for="root-key-type">Key type</label>${keyTypeSelect('root-key-type')}</p>
<p><label for="root-ttl">Lifetime</label><input id="root-ttl" name="ttl" size="10" placeholder="87600h"></p>
<p><button type="submit" id="generate-root-submit">Generate root</button></p>
</form>
<form id="import-root" method="post" action="${importPath}">
${csrfInput(csrf)}
<h3>Import</h3>
<p><label for="import-cert">Certificate (PEM)</label><textarea id="import-cert" name="cert_pem" rows="4"></textarea></p>
<p><label for="import-key">Private key (PEM)</label><textarea id="import-key" name="key_pem" rows="4"></textarea></p>
<p><button type="submit" id="import-root-submit">Import root</button></p>
</form>
</section>`;
}

function issuersView(mount: string, issuers: Settled<{ issuers: readonly CAIssuer[] }>, csrf: CsrfField): SafeHTML {
  const list = issuers.ok ? issuers.value.issuers : [];
  const rows = list.map(
    (i) => html`<tr data-issuer="${i.name}">
<td>${i.name}</td><td>${i.subject}</td><td>${i.keyType}</td><td>${i.maxTtl}</td><td>${i.allowedProfiles.join(', ')}</td>
<td>${timeView(i.notAfter)}</td>
<td><a href="${pathTo(webPaths.pkiChainPem, { mount })}?issuer=${encodeURIComponent(i.name)}">chain (PEM)</a></td>
</tr>`,
  );
  const action = pathTo(webPaths.pkiIssuers, { mount });
  // prettier-ignore
  return html`<section id="pki-issuers">
<h2>Issuers</h2>
${!issuers.ok ? errorView(issuers.problem) : list.length === 0 ? html`<p class="muted">No issuers yet.</p>`
    : html`<table id="issuer-table"><thead><tr><th>Name</th><th>Subject</th><th>Key</th><th>Max TTL</th><th>Profiles</th><th>Expires</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>`}
<form id="create-issuer" method="post" action="${action}">
${csrfInput(csrf)}
<h3>Create an issuer (admins)</h3>
<p><label for="issuer-name">Name</label><input id="issuer-name" name="name" required maxlength="63"></p>
<p><label for="issuer-subject">Subject</label><input id="issuer-subject" name="subject" size="50"></p>
<p><label for="issuer-key-type">Key type</label>${keyTypeSelect('issuer-key-type')}</p>
<p><label for="issuer-ttl">Lifetime</label><input id="issuer-ttl" name="ttl" size="10" placeholder="43800h">
<label for="issuer-max-ttl">Max leaf TTL</label><input id="issuer-max-ttl" name="max_ttl" size="10" placeholder="8760h"></p>
<p><span class="label">Profiles</span>${profiles.map((pr) => html`<label><input type="checkbox" name="allowed_profiles" value="${pr}"> ${pr}</label>`)}</p>
<p><button type="submit" id="create-issuer-submit">Create issuer</button></p>
</form>
</section>`;
}

function issueFormView(mount: string, issuerNames: readonly string[], csrf: CsrfField): SafeHTML {
  // prettier-ignore
  return html`<section id="pki-issue">
<h2>Issue a certificate</h2>
<p class="muted">Metacrypt generates the key; it is shown once with the certificate and never stored.</p>
<form id="issue-cert" method="post" action="${pathTo(webPaths.pkiIssue, { mount })}">
${csrfInput(csrf)}
<p><label for="issue-issuer">Issuer</label><select id="issue-issuer" name="issuer">${issuerNames.map((n) => html`<option value="${n}">${n}</option>`)}</select></p>
<p><label for="issue-cn">Common name</label><input id="issue-cn" name="common_name" size="50" required></p>
<p><label for="issue-sans">DNS names</label><input id="issue-sans" name="sans" size="50" placeholder="a.example.com, b.example.com"></p>
<p><label for="issue-ip-sans">IP addresses</label><input id="issue-ip-sans" name="ip_sans" size="50"></p>
<p><label for="issue-profile">Profile</label><select id="issue-profile" name="profile"><option value="">default</option>${profiles.map((pr) => html`<option value="${pr}">${pr}</option>`)}</select></p>
<p><label for="issue-ttl">TTL</label><input id="issue-ttl" name="ttl" size="10" placeholder="2160h"></p>
<p><label for="issue-key-type">Key type</label>${keyTypeSelect('issue-key-type')}</p>
<p><button type="submit" id="issue-submit" name="output" value="page">Issue</button>
<button type="submit" id="issue-download" name="output" value="download">Issue and download (PEM bundle)</button></p>
</form>
</section>`;
}

function eabView(mount: string, issuerNames: readonly string[], csrf: CsrfField): SafeHTML {
  const action = pathTo(webPaths.pkiEab, { mount });
  // prettier-ignore
  return html`<section id="pki-eab">
<h2>ACME account credentials</h2>
<p class="muted">One-time External Account Binding for certbot, lego or acme-client (24 h); the account then issues as you.</p>
<form id="create-eab" method="post" action="${action}" hx-post="${action}" hx-target="#eab-result" hx-swap="outerHTML">
${csrfInput(csrf)}
<p><label for="eab-issuer">Issuer</label><select id="eab-issuer" name="issuer">${issuerNames.map((n) => html`<option value="${n}">${n}</option>`)}</select>
<button type="submit" id="create-eab-submit">Create credentials</button></p>
</form>
<div id="eab-result"></div>
</section>`;
}

function certsView(mount: string, certs: Settled<{ certs: readonly CACertificate[] }>): SafeHTML {
  if (!certs.ok) return html`<section id="pki-certs"><h2>Certificates</h2>${errorView(certs.problem)}</section>`;
  const rows = certs.value.certs.map(
    (c) => html`<tr data-serial="${c.serial}"${c.revoked ? html` data-revoked="true"` : ''}>
<td><a href="${pathTo(webPaths.pkiCert, { mount, serial: c.serial })}"><code>${c.serial}</code></a></td>
<td>${c.commonName}</td><td>${c.issuer}</td><td>${c.profile}</td><td>${timeView(c.notAfter)}</td>
<td>${c.revoked ? 'revoked' : 'valid'}</td><td>${c.issuedBy}</td>
</tr>`,
  );
  // prettier-ignore
  return html`<section id="pki-certs">
<h2>Certificates</h2>
${certs.value.certs.length === 0 ? html`<p class="muted">None issued yet.</p>`
    : html`<table id="cert-table"><thead><tr><th>Serial</th><th>Common name</th><th>Issuer</th><th>Profile</th><th>Expires</th><th>Status</th><th>Issued by</th></tr></thead>
<tbody>${rows}</tbody></table>`}
</section>`;
}

function keyTypeSelect(id: string): SafeHTML {
  return html`<select id="${id}" name="key_type">${keyTypes.map((t) => html`<option value="${t}">${t}</option>`)}</select>`;
}
