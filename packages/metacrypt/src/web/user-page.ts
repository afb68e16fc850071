import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { UserPublicKey } from '@metacircular/proto/metacrypt/v1/user_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { settle, type Settled } from './api-error.js';
import { csrfInput, noticeView, sendPage } from './metacrypt-page.js';
import { mountParam } from './mount-links.js';
import { timeView } from './time-format.js';
import { apiFor, csrfFor, sessionCaller, type CsrfField, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

/**
 * userPage is `GET /user/:mount` (session): my key on the mount (GetPublicKey for myself, or the
 * register button), then the encrypt and decrypt forms. Private keys never leave Metacrypt; the
 * page only ever holds public keys, envelopes and the plaintext the user typed or asked for.
 */
export function userPage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const caller = sessionCaller(request);
    const key = await settle(apiFor(ctx, request).user.getPublicKey({ mount, username: caller.username }));
    const csrf = csrfFor(ctx, reply);
    // prettier-ignore
    const body = html`<h1>User-to-user encryption: ${mount}</h1>
${myKeyView(mount, key, csrf)}
${cryptoFormsView(mount, csrf)}`;
    return sendPage(ctx, request, reply, { title: `User ${mount}`, body });
  };
}

/** myKeyView is the caller's key section: the key, or the register button when there is none. */
export function myKeyView(mount: string, key: Settled<UserPublicKey>, csrf: CsrfField, notice?: string): SafeHTML {
  const register = pathTo(webPaths.userRegister, { mount });
  const rotate = pathTo(webPaths.userRotate, { mount });
  // prettier-ignore
  const content = key.ok
    ? html`<dl>
<dt>Algorithm</dt><dd>${key.value.algorithm}</dd>
<dt>Version</dt><dd id="user-key-version">${key.value.version}</dd>
<dt>Public key</dt><dd><code id="user-public-key">${Buffer.from(key.value.publicKey).toString('base64')}</code></dd>
<dt>Created</dt><dd>${timeView(key.value.createdAt)}</dd>
</dl>
<form id="rotate-user-key" method="post" action="${rotate}" hx-post="${rotate}" hx-target="#user-key" hx-swap="outerHTML"
 hx-confirm="Rotate your key? Older envelopes stay readable.">
${csrfInput(csrf)}<button type="submit" id="rotate-user-key-submit">Rotate my key</button></form>`
    : html`<p class="muted" id="user-unregistered">${key.problem}</p>
<form id="register-user-key" method="post" action="${register}" hx-post="${register}" hx-target="#user-key" hx-swap="outerHTML">
${csrfInput(csrf)}<button type="submit" id="register-submit">Create my key pair</button></form>`;
  // prettier-ignore
  return html`<section id="user-key">
<h2>My key</h2>
${notice && noticeView(notice)}
${content}
</section>`;
}

function cryptoFormsView(mount: string, csrf: CsrfField): SafeHTML {
  const encrypt = pathTo(webPaths.userEncrypt, { mount });
  const decrypt = pathTo(webPaths.userDecrypt, { mount });
  // prettier-ignore
  return html`<section id="user-crypto">
<form id="user-encrypt" method="post" action="${encrypt}" hx-post="${encrypt}" hx-target="#user-result" hx-swap="outerHTML">
${csrfInput(csrf)}
<h2>Encrypt to users</h2>
<p><label for="user-recipients">Recipients</label><input id="user-recipients" name="recipients" size="50" required placeholder="alice, bob (add yourself to read it later)"></p>
<p><label for="user-plaintext">Message</label><textarea id="user-plaintext" name="plaintext" rows="3"></textarea></p>
<p><label for="user-encoding">Message is</label><select id="user-encoding" name="plaintext_encoding"><option value="text">text</option><option value="base64">base64</option></select></p>
<p><button type="submit" id="user-encrypt-submit">Encrypt</button></p>
</form>
<form id="user-decrypt" method="post" action="${decrypt}" hx-post="${decrypt}" hx-target="#user-result" hx-swap="outerHTML">
${csrfInput(csrf)}
<h2>Decrypt an envelope sent to me</h2>
<p><label for="user-envelope">Envelope</label><textarea id="user-envelope" name="envelope" rows="4"></textarea></p>
<p><button type="submit" id="user-decrypt-submit">Decrypt</button></p>
</form>
<div id="user-result"></div>
</section>`;
}
