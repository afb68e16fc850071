import type { MessageInitShape } from '@bufbuild/protobuf';
import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { SSHCert, SSHProfile, SSHProfileRequestSchema } from '@metacircular/proto/metacrypt/v1/sshca_pb';
import type { Settled } from './api-error.js';
import { formField, formList, formValues } from './form-input.js';
import { csrfInput, errorView, noticeView } from './metacrypt-page.js';
import { timeView } from './time-format.js';
import type { CsrfField } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

const extensionNames = [
  'permit-pty',
  'permit-port-forwarding',
  'permit-agent-forwarding',
  'permit-X11-forwarding',
  'permit-user-rc',
];
const keyTypeNames = ['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'sk-ed25519', 'sk-ecdsa-p256', 'rsa'];

/** ProfileInput is a profile as the form sends it, for CreateProfile and UpdateProfile. */
export type ProfileInput = MessageInitShape<typeof SSHProfileRequestSchema>;

/** profileFromForm reads the profile form; the API validates every field. */
export function profileFromForm(mount: string, name: string, body: unknown): ProfileInput {
  const criticalOptions: Record<string, string> = {};
  const forceCommand = formField(body, 'force_command').trim();
  const sourceAddress = formField(body, 'source_address').trim();
  if (forceCommand) criticalOptions['force-command'] = forceCommand;
  if (sourceAddress) criticalOptions['source-address'] = sourceAddress;
  return {
    mount,
    name,
    certType: formField(body, 'cert_type'),
    allowedPrincipals: formList(body, 'allowed_principals'),
    defaultPrincipals: formList(body, 'default_principals'),
    maxTtl: formField(body, 'max_ttl').trim(),
    defaultTtl: formField(body, 'default_ttl').trim(),
    extensions: formValues(body, 'extensions'),
    criticalOptions,
    allowedKeyTypes: formValues(body, 'allowed_key_types'),
  };
}

/** profilesView is the profiles section: the table (edit, delete) and the create form. */
export function profilesView(
  mount: string,
  profiles: Settled<{ profiles: readonly SSHProfile[] }>,
  csrf: CsrfField,
  notice?: string,
): SafeHTML {
  const list = profiles.ok ? profiles.value.profiles : [];
  const rows = list.map((pr) => {
    const path = pathTo(webPaths.sshcaProfile, { mount, name: pr.name });
    return html`<tr data-profile="${pr.name}">
<td><a href="${path}">${pr.name}</a></td><td>${pr.certType}</td><td>${pr.allowedPrincipals.join(', ')}</td>
<td>${pr.defaultTtl} / ${pr.maxTtl}</td><td>${pr.extensions.join(', ')}</td>
<td><button class="delete-profile" hx-delete="${path}" hx-target="#sshca-profiles" hx-swap="outerHTML" hx-confirm="Delete profile ${pr.name}?">Delete</button></td>
</tr>`;
  });
  const action = pathTo(webPaths.sshcaProfiles, { mount });
  // prettier-ignore
  return html`<section id="sshca-profiles">
<h2>Signing profiles</h2>
${notice && noticeView(notice)}
${!profiles.ok ? errorView(profiles.problem) : list.length === 0 ? html`<p class="muted">No profiles yet.</p>`
    : html`<table id="profile-table"><thead><tr><th>Name</th><th>Type</th><th>Allowed principals</th><th>TTL default / max</th><th>Extensions</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>`}
<datalist id="sshca-profile-names">${list.map((pr) => html`<option value="${pr.name}"></option>`)}</datalist>
<form id="create-profile" method="post" action="${action}" hx-post="${action}" hx-target="#sshca-profiles" hx-swap="outerHTML">
${csrfInput(csrf)}
<h3>Create a profile (admins)</h3>
<p><label for="profile-name">Name</label><input id="profile-name" name="name" required maxlength="63"></p>
${profileFields(undefined)}
<p><button type="submit" id="create-profile-submit">Create profile</button></p>
</form>
</section>`;
}

/** profileFields are the inputs of one profile (without its name), filled from `pr` when editing. */
export function profileFields(pr: SSHProfile | undefined): SafeHTML {
  const certType = pr?.certType ?? 'user';
  const checked = (on: boolean): SafeHTML | string => (on ? html` checked` : '');
  // prettier-ignore
  return html`<p><label for="profile-cert-type">Certificate type</label><select id="profile-cert-type" name="cert_type">${['user', 'host'].map(
    (t) => html`<option value="${t}"${t === certType ? html` selected` : ''}>${t}</option>`,
  )}</select></p>
<p><label for="profile-allowed">Allowed principals (globs)</label><input id="profile-allowed" name="allowed_principals" size="50" value="${(pr?.allowedPrincipals ?? []).join(', ')}"></p>
<p><label for="profile-default">Default principals</label><input id="profile-default" name="default_principals" size="50" value="${(pr?.defaultPrincipals ?? []).join(', ')}"></p>
<p><label for="profile-default-ttl">Default TTL</label><input id="profile-default-ttl" name="default_ttl" size="10" value="${pr?.defaultTtl ?? ''}" placeholder="16h">
<label for="profile-max-ttl">Max TTL</label><input id="profile-max-ttl" name="max_ttl" size="10" value="${pr?.maxTtl ?? ''}" placeholder="24h"></p>
<p><span class="label">Extensions (user)</span>${extensionNames.map(
    (e) => html`<label><input type="checkbox" name="extensions" value="${e}"${checked(pr ? pr.extensions.includes(e) : e === 'permit-pty')}> ${e}</label> `,
  )}</p>
<p><label for="profile-force-command">force-command</label><input id="profile-force-command" name="force_command" size="40" value="${pr?.criticalOptions['force-command'] ?? ''}">
<label for="profile-source-address">source-address</label><input id="profile-source-address" name="source_address" size="30" value="${pr?.criticalOptions['source-address'] ?? ''}"></p>
<p><span class="label">Key types (none = all)</span>${keyTypeNames.map(
    (k) => html`<label><input type="checkbox" name="allowed_key_types" value="${k}"${checked(pr?.allowedKeyTypes.includes(k) ?? false)}> ${k}</label> `,
  )}</p>`;
}

/** sshCertsView is the certificate list (admin only in the API) with the revoke form. */
export function sshCertsView(
  mount: string,
  certs: Settled<{ certs: readonly SSHCert[] }>,
  csrf: CsrfField,
  notice?: string,
): SafeHTML {
  if (!certs.ok) return html`<section id="sshca-certs"><h2>Certificates</h2>${errorView(certs.problem)}</section>`;
  const rows = certs.value.certs.map(
    (c) => html`<tr data-serial="${c.serial}"${c.revokedAt ? html` data-revoked="true"` : ''}>
<td>${c.serial}</td><td>${c.certType}</td><td>${c.profile}</td><td>${c.principals.join(', ')}</td><td><code>${c.keyId}</code></td>
<td>${timeView(c.validBefore)}</td><td>${c.issuedBy}</td><td>${c.revokedAt ? html`revoked ${timeView(c.revokedAt)}` : 'valid'}</td>
</tr>`,
  );
  const action = pathTo(webPaths.sshcaRevoke, { mount });
  // prettier-ignore
  return html`<section id="sshca-certs">
<h2>Certificates</h2>
${notice && noticeView(notice)}
${certs.value.certs.length === 0 ? html`<p class="muted">None signed yet.</p>`
    : html`<table id="ssh-cert-table"><thead><tr><th>Serial</th><th>Type</th><th>Profile</th><th>Principals</th><th>Key id</th><th>Valid before</th><th>Issued by</th><th>Status</th></tr></thead>
<tbody>${rows}</tbody></table>`}
<form id="revoke-ssh-cert" method="post" action="${action}" hx-post="${action}" hx-target="#sshca-certs" hx-swap="outerHTML">
${csrfInput(csrf)}
<p><label for="ssh-revoke-serial">Revoke serial</label><input id="ssh-revoke-serial" name="serial" inputmode="numeric" pattern="[0-9]+" required>
<button type="submit" id="ssh-revoke-submit">Revoke</button></p>
</form>
<p><a id="download-krl" href="${pathTo(webPaths.sshcaKrl, { mount })}">Download the KRL</a> (for sshd's RevokedKeys)</p>
</section>`;
}
