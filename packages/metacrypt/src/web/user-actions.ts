import { html } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formBytes, formField, formList } from './form-input.js';
import { sendSection } from './metacrypt-page.js';
import { mountParam } from './mount-links.js';
import { plaintextView } from './transit-actions.js';
import { myKeyView } from './user-page.js';
import { apiFor, csrfFor, sessionCaller, type WebContext } from './web-context.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

// Each action is one UserService call under the session's token. Only a listed recipient can
// decrypt (the API holds to that for admins too); the UI relays envelopes and never keeps them.

/** registerUserKeyAction is `POST /user/:mount/register` (Register): my key pair on the mount. */
export function registerUserKeyAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const key = await apiFor(ctx, request).user.register({ mount });
    return sendSection(
      ctx,
      request,
      reply,
      `User ${mount}`,
      myKeyView(mount, { ok: true, value: key }, csrfFor(ctx, reply), 'Key pair created.'),
    );
  };
}

/** rotateUserKeyAction is `POST /user/:mount/rotate` (RotateKey). */
export function rotateUserKeyAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const key = await apiFor(ctx, request).user.rotateKey({ mount });
    const notice = `Key rotated to version ${key.version}.`;
    return sendSection(
      ctx,
      request,
      reply,
      `User ${mount}`,
      myKeyView(mount, { ok: true, value: key }, csrfFor(ctx, reply), notice),
    );
  };
}

/** userEncryptAction is `POST /user/:mount/encrypt` (Encrypt): the envelope, to send. */
export function userEncryptAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const res = await apiFor(ctx, request).user.encrypt({
      mount,
      recipients: formList(request.body, 'recipients'),
      plaintext: formBytes(request.body, 'plaintext'),
    });
    // prettier-ignore
    const result = html`<div id="user-result" data-op="encrypt" data-message-id="${res.messageId}">
<h3>Envelope</h3>
<textarea id="user-envelope-out" readonly rows="6">${res.envelope}</textarea>
</div>`;
    return sendSection(ctx, request, reply, `User ${mount}`, result);
  };
}

/** userDecryptAction is `POST /user/:mount/decrypt` (Decrypt): the message and who sent it. */
export function userDecryptAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const mount = mountParam(request.params);
    const res = await apiFor(ctx, request).user.decrypt({ mount, envelope: formField(request.body, 'envelope').trim() });
    request.log.debug({ by: sessionCaller(request).username, message: res.messageId }, 'user envelope decrypted');
    // prettier-ignore
    const result = html`<div id="user-result" data-op="decrypt">
<p>From <span id="user-sender">${res.sender}</span> (message <code>${res.messageId}</code>)</p>
${plaintextView(res.plaintext)}
</div>`;
    return sendSection(ctx, request, reply, `User ${mount}`, result);
  };
}
