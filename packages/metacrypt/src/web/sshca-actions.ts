import { html, InvalidRequestError } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { settle } from './api-error.js';
import { dataUrl, sendDownload } from './download-reply.js';
import { formField, formList, routeParam } from './form-input.js';
import { csrfInput, redirectTo, sendPage, sendSection } from './metacrypt-page.js';
import { mountParam } from './mount-links.js';
import { timeView } from './time-format.js';
import { profileFields, profileFromForm, profilesView, sshCertsView } from './sshca-views.js';
import { apiFor, csrfFor, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

// Each action is one SSHCAService call under the session's token: profiles and revocation are
// admin only in the API, signing is the policy's sign-user / sign-host on the profile.

/** createProfileAction is `POST /sshca/:mount/profiles` (CreateProfile). */
export function createProfileAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const name = formField(request.body, 'name').trim();
    const api = apiFor(ctx, request);
    await api.sshca.createProfile(profileFromForm(mount, name, request.body));
    const profiles = await settle(api.sshca.listProfiles({ mount }));
    return sendSection(
      ctx,
      request,
      reply,
      `SSH CA ${mount}`,
      profilesView(mount, profiles, csrfFor(ctx, reply), `Profile ${name} created.`),
    );
  };
}

/** profilePage is `GET /sshca/:mount/profiles/:name` (GetProfile): the profile in the form, to change it. */
export function profilePage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const profile = await apiFor(ctx, request).sshca.getProfile({ mount, name: routeParam(request.params, 'name') });
    const path = pathTo(webPaths.sshcaProfile, { mount, name: profile.name });
    // prettier-ignore
    const body = html`<section id="sshca-profile" data-profile="${profile.name}">
<h1>Profile ${profile.name}</h1>
<form id="update-profile" hx-put="${path}">
${csrfInput(csrfFor(ctx, reply))}
${profileFields(profile)}
<p><button type="submit" id="update-profile-submit">Save</button> <a href="${pathTo(webPaths.sshca, { mount })}">Back to ${mount}</a></p>
</form>
</section>`;
    return sendPage(ctx, request, reply, { title: `Profile ${profile.name}`, body });
  };
}

/** updateProfileAction is `PUT /sshca/:mount/profiles/:name` (UpdateProfile replaces it); then back to the mount. */
export function updateProfileAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    await apiFor(ctx, request).sshca.updateProfile(profileFromForm(mount, routeParam(request.params, 'name'), request.body));
    return redirectTo(request, reply, pathTo(webPaths.sshca, { mount }));
  };
}

/** deleteProfileAction is `DELETE /sshca/:mount/profiles/:name` (DeleteProfile). */
export function deleteProfileAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const name = routeParam(request.params, 'name');
    const api = apiFor(ctx, request);
    await api.sshca.deleteProfile({ mount, name });
    const profiles = await settle(api.sshca.listProfiles({ mount }));
    return sendSection(
      ctx,
      request,
      reply,
      `SSH CA ${mount}`,
      profilesView(mount, profiles, csrfFor(ctx, reply), `Profile ${name} deleted.`),
    );
  };
}

/** signSshKeyAction is `POST /sshca/:mount/sign` (SignUserCert or SignHostCert): the certificate line, to save. */
export function signSshKeyAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const b = request.body;
    const req = {
      mount,
      profile: formField(b, 'profile').trim(),
      publicKey: formField(b, 'public_key').trim(),
      principals: formList(b, 'principals'),
      ttl: formField(b, 'ttl').trim(),
      keyId: formField(b, 'key_id').trim(),
    };
    const kind = formField(b, 'kind');
    if (kind !== 'user' && kind !== 'host') throw new InvalidRequestError('kind: choose "user" or "host"');
    const api = apiFor(ctx, request).sshca;
    const signed = kind === 'user' ? await api.signUserCert(req) : await api.signHostCert(req);
    // prettier-ignore
    const result = html`<div id="ssh-signed" data-serial="${signed.serial}">
<p>Serial ${signed.serial}, key id <code>${signed.keyId}</code>, principals ${signed.principals.join(', ')}, valid ${timeView(signed.validAfter)} to ${timeView(signed.validBefore)}.</p>
<textarea id="ssh-certificate" readonly rows="4">${signed.certificate}</textarea>
<p><a id="download-ssh-cert" download="id-cert.pub" href="${dataUrl('text/plain', `${signed.certificate}\n`)}">Download as id-cert.pub</a></p>
</div>`;
    return sendSection(ctx, request, reply, `SSH CA ${mount}`, result);
  };
}

/** revokeSshCertAction is `POST /sshca/:mount/revoke` (RevokeCert): the KRL is regenerated. */
export function revokeSshCertAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const text = formField(request.body, 'serial').trim();
    if (!/^[0-9]{1,20}$/.test(text)) throw new InvalidRequestError('serial: a certificate serial number, digits only');
    const api = apiFor(ctx, request);
    await api.sshca.revokeCert({ mount, serial: BigInt(text) });
    const certs = await settle(api.sshca.listCerts({ mount }));
    return sendSection(
      ctx,
      request,
      reply,
      `SSH CA ${mount}`,
      sshCertsView(mount, certs, csrfFor(ctx, reply), `Certificate ${text} revoked.`),
    );
  };
}

/** krlDownload is `GET /sshca/:mount/krl` (GetKRL, public in the API): the binary KRL. */
export function krlDownload(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const { krl } = await apiFor(ctx, request).sshca.getKRL({ mount });
    return sendDownload(reply, `${mount}.krl`, 'application/octet-stream', krl);
  };
}
