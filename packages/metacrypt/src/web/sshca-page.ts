import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { GetSSHCAPublicKeyResponse } from '@metacircular/proto/metacrypt/v1/sshca_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { settle, type Settled } from './api-error.js';
import { csrfInput, errorView, sendPage } from './metacrypt-page.js';
import { mountParam } from './mount-links.js';
import { profilesView, sshCertsView } from './sshca-views.js';
import { apiFor, csrfFor, type CsrfField, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

/**
 * sshcaPage is `GET /sshca/:mount` (session): the CA public keys (public), the signing profiles
 * (any signed-in user may read them; changing them is admin only), the sign form (policy
 * `sign-user` / `sign-host` on the profile), and the certificate list and revoke form (admin
 * only: others see the API's refusal in that section).
 */
export function sshcaPage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const api = apiFor(ctx, request);
    const [keys, profiles, certs] = await Promise.all([
      settle(api.sshca.getCAPublicKey({ mount })),
      settle(api.sshca.listProfiles({ mount })),
      settle(api.sshca.listCerts({ mount })),
    ]);
    const csrf = csrfFor(ctx, reply);
    // prettier-ignore
    const body = html`<h1>SSH CA: ${mount}</h1>
${caKeysView(keys)}
${profilesView(mount, profiles, csrf)}
${signFormView(mount, csrf)}
${sshCertsView(mount, certs, csrf)}`;
    return sendPage(ctx, request, reply, { title: `SSH CA ${mount}`, body });
  };
}

function caKeysView(keys: Settled<GetSSHCAPublicKeyResponse>): SafeHTML {
  if (!keys.ok) return html`<section id="sshca-keys"><h2>CA public keys</h2>${errorView(keys.problem)}</section>`;
  // prettier-ignore
  return html`<section id="sshca-keys">
<h2>CA public keys</h2>
<p>For sshd's <code>TrustedUserCAKeys</code>:</p>
<pre id="sshca-user-key">${keys.value.userCaKey}</pre>
<p>For known_hosts (<code>@cert-authority *.example.com ...</code>)${keys.value.shared ? ' (the same key signs both)' : ''}:</p>
<pre id="sshca-host-key">${keys.value.hostCaKey}</pre>
</section>`;
}

function signFormView(mount: string, csrf: CsrfField): SafeHTML {
  const action = pathTo(webPaths.sshcaSign, { mount });
  // prettier-ignore
  return html`<section id="sshca-sign">
<h2>Sign a public key</h2>
<form id="sign-ssh-key" method="post" action="${action}" hx-post="${action}" hx-target="#ssh-signed" hx-swap="outerHTML">
${csrfInput(csrf)}
<p><label for="sign-kind">Certificate type</label><select id="sign-kind" name="kind"><option value="user">user</option><option value="host">host</option></select></p>
<p><label for="sign-profile">Profile</label><input id="sign-profile" name="profile" list="sshca-profile-names" placeholder="default"></p>
<p><label for="sign-public-key">Public key</label><textarea id="sign-public-key" name="public_key" rows="2" required placeholder="ssh-ed25519 AAAA... you@host"></textarea></p>
<p><label for="sign-principals">Principals</label><input id="sign-principals" name="principals" size="50" placeholder="default: the profile's, or your username"></p>
<p><label for="sign-ttl">TTL</label><input id="sign-ttl" name="ttl" size="10" placeholder="16h">
<label for="sign-key-id">Key id label</label><input id="sign-key-id" name="key_id" size="20"></p>
<p><button type="submit" id="sign-submit">Sign</button></p>
</form>
<div id="ssh-signed"></div>
</section>`;
}
