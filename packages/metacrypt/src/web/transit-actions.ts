import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { settle } from './api-error.js';
import { formBytes, formField, routeParam } from './form-input.js';
import { sendSection } from './metacrypt-page.js';
import { mountParam } from './mount-links.js';
import { transitKeysView } from './transit-page.js';
import { apiFor, csrfFor, type WebContext } from './web-context.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

// Each action is one TransitService call under the session's token; the policy on
// transit/{mount}/keys/{name} decides (write, rotate, encrypt, decrypt). Plaintexts go to the
// API and back to the page only: never logged, never stored by the UI.

/** createTransitKeyAction is `POST /transit/:mount/keys` (CreateKey). */
export function createTransitKeyAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const name = formField(request.body, 'name').trim();
    const api = apiFor(ctx, request);
    await api.transit.createKey({ mount, name, type: formField(request.body, 'type') });
    const keys = await settle(api.transit.listKeys({ mount }));
    return sendSection(
      ctx,
      request,
      reply,
      `Transit ${mount}`,
      transitKeysView(mount, keys, csrfFor(ctx, reply), `Key ${name} created.`),
    );
  };
}

/** rotateTransitKeyAction is `POST /transit/:mount/keys/:name/rotate` (RotateKey). */
export function rotateTransitKeyAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const name = routeParam(request.params, 'name');
    const api = apiFor(ctx, request);
    const key = await api.transit.rotateKey({ mount, name });
    const keys = await settle(api.transit.listKeys({ mount }));
    const notice = `Key ${name} rotated to version ${key.latestVersion}.`;
    return sendSection(ctx, request, reply, `Transit ${mount}`, transitKeysView(mount, keys, csrfFor(ctx, reply), notice));
  };
}

/** transitEncryptAction is `POST /transit/:mount/encrypt` (Encrypt): the ciphertext, to copy. */
export function transitEncryptAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const res = await apiFor(ctx, request).transit.encrypt({
      mount,
      name: formField(request.body, 'key').trim(),
      plaintext: formBytes(request.body, 'plaintext'),
      context: Buffer.from(formField(request.body, 'context'), 'utf8'),
    });
    // prettier-ignore
    const result = html`<div id="transit-result" data-op="encrypt">
<h3>Ciphertext (key version ${res.keyVersion})</h3>
<textarea id="transit-ciphertext" readonly rows="3">${res.ciphertext}</textarea>
</div>`;
    return sendSection(ctx, request, reply, `Transit ${mount}`, result);
  };
}

/** transitDecryptAction is `POST /transit/:mount/decrypt` (Decrypt): the plaintext, as text when it is UTF-8. */
export function transitDecryptAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const res = await apiFor(ctx, request).transit.decrypt({
      mount,
      name: formField(request.body, 'key').trim(),
      ciphertext: formField(request.body, 'ciphertext').trim(),
      context: Buffer.from(formField(request.body, 'context'), 'utf8'),
    });
    const result = html`<div id="transit-result" data-op="decrypt">${plaintextView(res.plaintext)}</div>`;
    return sendSection(ctx, request, reply, `Transit ${mount}`, result);
  };
}

/** plaintextView shows decrypted bytes: as text when they are valid UTF-8, else as base64. */
export function plaintextView(bytes: Uint8Array): SafeHTML {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return html`<h3>Plaintext</h3><pre id="plaintext" data-encoding="text">${text}</pre>`;
  } catch {
    return html`<h3>Plaintext (binary, base64)</h3><pre id="plaintext" data-encoding="base64">${Buffer.from(bytes).toString('base64')}</pre>`;
  }
}
