import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { TransitKey } from '@metacircular/proto/metacrypt/v1/transit_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { settle, type Settled } from './api-error.js';
import { csrfInput, errorView, noticeView, sendPage } from './metacrypt-page.js';
import { mountParam } from './mount-links.js';
import { timeView } from './time-format.js';
import { apiFor, csrfFor, type CsrfField, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

const keyTypes = ['aes256-gcm', 'chacha20-poly1305', 'ed25519', 'ecdsa-p256', 'ecdsa-p384', 'hmac-sha256'] as const;

/**
 * transitPage is `GET /transit/:mount` (session): the keys the caller may list (ListKeys, each
 * key filtered by the policy's `list`), the create form, and the encrypt/decrypt playground.
 * Every form is an API call judged by the API (create: write; rotate; encrypt; decrypt).
 */
export function transitPage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const keys = await settle(apiFor(ctx, request).transit.listKeys({ mount }));
    const csrf = csrfFor(ctx, reply);
    // prettier-ignore
    const body = html`<h1>Transit: ${mount}</h1>
${transitKeysView(mount, keys, csrf)}
${playgroundView(mount, csrf)}`;
    return sendPage(ctx, request, reply, { title: `Transit ${mount}`, body });
  };
}

/** transitKeysView is the keys section: table, rotate buttons and the create form. */
export function transitKeysView(
  mount: string,
  keys: Settled<{ keys: readonly TransitKey[] }>,
  csrf: CsrfField,
  notice?: string,
): SafeHTML {
  const list = keys.ok ? keys.value.keys : [];
  const rows = list.map(
    (k) => html`<tr data-key="${k.name}" data-version="${k.latestVersion}">
<td>${k.name}</td><td>${k.type}</td><td class="key-version">${k.latestVersion}</td><td>${k.minDecryptionVersion}</td>
<td>${timeView(k.createdAt)}</td>
<td><button class="rotate-key" hx-post="${pathTo(webPaths.transitRotate, { mount, name: k.name })}" hx-target="#transit-keys" hx-swap="outerHTML"
 hx-confirm="Rotate ${k.name}? New data is encrypted with the new version; older versions still decrypt.">Rotate</button></td>
</tr>`,
  );
  const keysPath = pathTo(webPaths.transitKeys, { mount });
  // prettier-ignore
  return html`<section id="transit-keys">
<h2>Keys</h2>
${notice && noticeView(notice)}
${!keys.ok ? errorView(keys.problem) : list.length === 0 ? html`<p class="muted" id="transit-keys-empty">No keys you may list.</p>`
    : html`<table id="transit-key-table"><thead><tr><th>Name</th><th>Type</th><th>Latest version</th><th>Min decryption version</th><th>Created</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>`}
<datalist id="transit-key-names">${list.map((k) => html`<option value="${k.name}"></option>`)}</datalist>
<form id="create-transit-key" method="post" action="${keysPath}" hx-post="${keysPath}" hx-target="#transit-keys" hx-swap="outerHTML">
${csrfInput(csrf)}
<h3>Create a key</h3>
<p><label for="transit-key-name">Name</label><input id="transit-key-name" name="name" required maxlength="128"></p>
<p><label for="transit-key-type">Type</label><select id="transit-key-type" name="type">${keyTypes.map((t) => html`<option value="${t}">${t}</option>`)}</select></p>
<p><button type="submit" id="create-transit-key-submit">Create key</button></p>
</form>
</section>`;
}

function playgroundView(mount: string, csrf: CsrfField): SafeHTML {
  const encryptPath = pathTo(webPaths.transitEncrypt, { mount });
  const decryptPath = pathTo(webPaths.transitDecrypt, { mount });
  // prettier-ignore
  return html`<section id="transit-playground">
<h2>Encrypt and decrypt</h2>
<p class="muted">The key never leaves Metacrypt; only the result comes back.</p>
<form id="transit-encrypt" method="post" action="${encryptPath}" hx-post="${encryptPath}" hx-target="#transit-result" hx-swap="outerHTML">
${csrfInput(csrf)}
<h3>Encrypt</h3>
<p><label for="encrypt-key">Key</label><input id="encrypt-key" name="key" list="transit-key-names" required></p>
<p><label for="encrypt-plaintext">Plaintext</label><textarea id="encrypt-plaintext" name="plaintext" rows="3"></textarea></p>
<p><label for="encrypt-encoding">Plaintext is</label><select id="encrypt-encoding" name="plaintext_encoding"><option value="text">text</option><option value="base64">base64</option></select></p>
<p><label for="encrypt-context">Context (optional)</label><input id="encrypt-context" name="context"></p>
<p><button type="submit" id="transit-encrypt-submit">Encrypt</button></p>
</form>
<form id="transit-decrypt" method="post" action="${decryptPath}" hx-post="${decryptPath}" hx-target="#transit-result" hx-swap="outerHTML">
${csrfInput(csrf)}
<h3>Decrypt</h3>
<p><label for="decrypt-key">Key</label><input id="decrypt-key" name="key" list="transit-key-names" required></p>
<p><label for="decrypt-ciphertext">Ciphertext</label><textarea id="decrypt-ciphertext" name="ciphertext" rows="3" placeholder="metacrypt:v1:..."></textarea></p>
<p><label for="decrypt-context">Context (optional)</label><input id="decrypt-context" name="context"></p>
<p><button type="submit" id="transit-decrypt-submit">Decrypt</button></p>
</form>
<div id="transit-result"></div>
</section>`;
}
