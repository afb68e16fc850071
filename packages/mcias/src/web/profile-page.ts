import { html, InvalidRequestError, type SafeHTML } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TotpState } from '../store/index.js';
import { formField } from './form-input.js';
import { noticeView, sendFragment, sendPage } from './mcias-page.js';
import { passkeyScripts } from './passkey-login-action.js';
import { ownPasskeys, passkeysSection } from './passkeys-section.js';
import { rpcFor, sessionCaller, type WebContext } from './web-context.js';
import { webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * profilePage is `GET /profile` (session only): the caller's own password and second factors.
 * The TOTP state shown is read from the caller's own account record (display only; there is no
 * self-read RPC, and every change below goes through the API). With `[webauthn]` configured,
 * the Passkeys card lists the caller's passkeys through the API (ListWebAuthnCredentials).
 */
export function profilePage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const caller = sessionCaller(request);
    const totpState = ctx.core.stores.accounts.byUuid(caller.id)?.totpState ?? 'none';
    const passkeys = ctx.core.passkeys.enabled
      ? html`${passkeysSection(await ownPasskeys(ctx, request))}${passkeyScripts()}`
      : html``;
    // prettier-ignore
    const body = html`<section id="profile">
<h1>Profile</h1>
<dl><dt>Username</dt><dd>${caller.username}</dd><dt>Roles</dt><dd>${caller.roles.join(', ') || '(none)'}</dd></dl>
</section>
${passwordCard()}
${totpCard(totpState)}
${passkeys}`;
    return sendPage(ctx, request, reply, { title: 'Profile', body });
  };
}

/**
 * changePasswordAction is `PUT /profile/password` (ChangePassword, `auth:change_password` on
 * oneself: lockout, Argon2id check of the current password, every other token of the account
 * revoked, audited). The new password must be typed twice.
 */
export function changePasswordAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const newPassword = formField(request.body, 'new_password');
    if (newPassword !== formField(request.body, 'confirm_password')) {
      throw new InvalidRequestError('the new password and its repetition differ; type the same password twice');
    }
    await rpcFor(ctx, request).auth.changePassword({ currentPassword: formField(request.body, 'current_password'), newPassword });
    return sendFragment(reply, passwordCard('Password changed. Your other sessions and tokens were revoked.'));
  };
}

/**
 * enrollTotpAction is `POST /profile/totp/enroll` (EnrollTOTP: the current password again,
 * SEC-01). The secret and its otpauth:// URI are in this htmx response only, never in a page
 * that can be loaded again; confirming with a code turns TOTP on.
 */
export function enrollTotpAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const { secret, otpauthUri } = await rpcFor(ctx, request).auth.enrollTOTP({ password: formField(request.body, 'password') });
    // prettier-ignore
    return sendFragment(reply, html`<section id="totp-card" hx-target="this" hx-swap="outerHTML" hx-history="false">
<h2>Set up TOTP</h2>
<p>Add this secret to your authenticator app (or open the link on the device that has it), then enter the code it shows.
The secret is shown only now.</p>
<p><label for="totp-secret">Secret</label> <code id="totp-secret" class="secret">${secret}</code></p>
<p><a id="totp-uri" href="${otpauthUri}">${otpauthUri}</a></p>
<form hx-post="${webPaths.profileTotpConfirm}">
<p><label for="totp-confirm-code">Code</label>
<input id="totp-confirm-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
<button type="submit" id="totp-confirm-submit">Turn on TOTP</button></p>
</form>
</section>`);
  };
}

/** confirmTotpAction is `POST /profile/totp/confirm` (ConfirmTOTP): a right code turns TOTP on. */
export function confirmTotpAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    await rpcFor(ctx, request).auth.confirmTOTP({ code: formField(request.body, 'code').trim() });
    return sendFragment(reply, totpCard('enabled', 'TOTP is on: signing in now asks for a code after the password.'));
  };
}

function passwordCard(notice?: string): SafeHTML {
  // prettier-ignore
  return html`<section id="password-card" hx-target="this" hx-swap="outerHTML">
<h2>Change password</h2>
${notice && noticeView(notice)}
<form hx-put="${webPaths.profilePassword}">
<p><label for="current-password">Current password</label>
<input id="current-password" name="current_password" type="password" autocomplete="current-password" required maxlength="1024"></p>
<p><label for="new-password">New password</label>
<input id="new-password" name="new_password" type="password" autocomplete="new-password" required maxlength="1024"> <span class="muted">at least 12 characters</span></p>
<p><label for="confirm-password">Repeat it</label>
<input id="confirm-password" name="confirm_password" type="password" autocomplete="new-password" required maxlength="1024"></p>
<p><button type="submit" id="change-password-submit">Change password</button></p>
</form>
</section>`;
}

function totpCard(state: TotpState, notice?: string): SafeHTML {
  // prettier-ignore
  const content = state === 'enabled'
    ? html`<p id="totp-state" data-state="enabled">TOTP is on. Only an admin can remove it.</p>`
    : html`<p id="totp-state" data-state="${state}">${state === 'pending'
      ? 'An enrolment was started but never confirmed. Start again to get a new secret.'
      : 'TOTP is off. Turn it on to be asked for a code from an authenticator app after your password.'}</p>
<form hx-post="${webPaths.profileTotpEnroll}">
<p><label for="totp-password">Current password</label>
<input id="totp-password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit" id="totp-enroll-submit">Set up TOTP</button></p>
</form>`;
  // prettier-ignore
  return html`<section id="totp-card" hx-target="this" hx-swap="outerHTML">
<h2>Two-factor authentication (TOTP)</h2>
${notice && noticeView(notice)}
${content}
</section>`;
}
