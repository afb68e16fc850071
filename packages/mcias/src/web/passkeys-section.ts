import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { WebAuthnCredential } from '@metacircular/proto/mcias/v1/webauthn_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { noticeView, sendFragment } from './mcias-page.js';
import { jsonCredential, jsonText, sendJson } from './passkey-json.js';
import { timeView } from './time-format.js';
import { rpcFor, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/** PasskeyParams are the path parameters of the passkey removal routes. */
export interface PasskeyParams {
  readonly id?: string;
  readonly passkey: string;
}

// Every passkey action is one WebAuthnService call under the session's token, so the API's
// authorization applies: registration and removal of one's own need `webauthn:enroll` on
// oneself (registration also the current password); listing one's own needs nothing more.

/** ownPasskeys lists the caller's passkeys (ListWebAuthnCredentials with no account: oneself). */
export async function ownPasskeys(ctx: WebContext, request: FastifyRequest): Promise<WebAuthnCredential[]> {
  return (await rpcFor(ctx, request).webauthn.listWebAuthnCredentials({ accountId: '' })).credentials;
}

/**
 * registerPasskeyBegin is `POST /profile/passkeys/begin` (session, CSRF, JSON `{"password"}`):
 * BeginWebAuthnRegistration re-authenticates with the current password (a wrong one is 401 and
 * counts toward the lockout) and answers the creation options for navigator.credentials.create.
 */
export function registerPasskeyBegin(ctx: WebContext): Handler {
  return async (request, reply) => {
    const begun = await rpcFor(ctx, request).webauthn.beginWebAuthnRegistration({ password: jsonText(request.body, 'password') });
    return sendJson(reply, { challenge_id: begun.challengeId, options: begun.options ?? {} });
  };
}

/**
 * registerPasskeyFinish is `POST /profile/passkeys/finish` (session, CSRF, JSON `{"challenge_id",
 * "credential", "name"}`): FinishWebAuthnRegistration verifies the attestation and stores the
 * passkey (audited). The answer is the Passkeys card, listed again, for the script to swap in.
 */
export function registerPasskeyFinish(ctx: WebContext): Handler {
  return async (request, reply) => {
    const added = await rpcFor(ctx, request).webauthn.finishWebAuthnRegistration({
      challengeId: jsonText(request.body, 'challenge_id'),
      credential: jsonCredential(request.body),
      name: jsonText(request.body, 'name'),
    });
    return sendFragment(reply, passkeysSection(await ownPasskeys(ctx, request), `Passkey "${added.name}" added.`));
  };
}

/** removeOwnPasskeyAction is `DELETE /profile/passkeys/:passkey` (RemoveWebAuthnCredential on oneself). */
export function removeOwnPasskeyAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const credentialId = (request.params as PasskeyParams).passkey;
    await rpcFor(ctx, request).webauthn.removeWebAuthnCredential({ accountId: '', credentialId });
    return sendFragment(reply, passkeysSection(await ownPasskeys(ctx, request), 'Passkey removed.'));
  };
}

/**
 * passkeysSection is the profile's Passkeys card: the caller's passkeys (name and dates only;
 * the id in the markup is MCIAS's record id, never the authenticator's credential id), a
 * remove button for each, and the form that adds one. The form is run by mcias-webauthn.js
 * (data-passkey-register); without the script it posts nothing usable (no CSRF field).
 */
export function passkeysSection(passkeys: readonly WebAuthnCredential[], notice?: string): SafeHTML {
  // prettier-ignore
  return html`<section id="passkeys-card" data-passkeys-card="true" hx-target="this" hx-swap="outerHTML">
<h2>Passkeys</h2>
${notice && noticeView(notice)}
${passkeyTable(passkeys, (p) => pathTo(webPaths.profilePasskey, { passkey: p.id }))}
<form id="passkey-add-form" method="post" action="${webPaths.profilePasskeysBegin}" data-passkey-register="true" data-begin="${webPaths.profilePasskeysBegin}" data-finish="${webPaths.profilePasskeysFinish}">
<h3>Add a passkey</h3>
<p class="muted">A passkey signs you in without a password, with this device's screen lock or a security key.</p>
<p><label for="passkey-password">Current password</label>
<input id="passkey-password" name="password" type="password" autocomplete="current-password" required maxlength="1024"></p>
<p><label for="passkey-name">Name</label>
<input id="passkey-name" name="name" maxlength="64" value="passkey" required> <span class="muted">to tell your passkeys apart</span></p>
<p><button type="submit" id="passkey-add-submit">Add a passkey</button></p>
</form>
</section>`;
}

/**
 * passkeyTable lists passkeys with a remove button each (htmx DELETE to `removePath`, the
 * CSRF token from the page's hx-headers); also used by the account page.
 */
export function passkeyTable(
  passkeys: readonly WebAuthnCredential[],
  removePath: ((p: WebAuthnCredential) => string) | undefined,
): SafeHTML {
  if (passkeys.length === 0) return html`<p class="muted" id="no-passkeys">No passkeys.</p>`;
  const rows = passkeys.map(
    (p) => html`<tr data-passkey-id="${p.id}">
<td class="passkey-name">${p.name}</td><td>${timeView(p.createdAt)}</td><td>${timeView(p.lastUsedAt)}</td>
<td>${removePath && html`<button type="button" class="remove-passkey" hx-delete="${removePath(p)}" hx-confirm="Remove the passkey ${p.name}?">Remove</button>`}</td>
</tr>`,
  );
  // prettier-ignore
  return html`<table class="passkeys">
<thead><tr><th>Name</th><th>Created</th><th>Last used</th><th></th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}
