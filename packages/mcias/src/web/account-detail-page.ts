import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { Account } from '@metacircular/proto/mcias/v1/account_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { allowedRoles } from '../accounts/index.js';
import { accountPasskeys, accountPasskeysCard } from './account-passkeys.js';
import { noticeView, sendFragment, sendPage } from './mcias-page.js';
import { timeView } from './time-format.js';
import { rpcFor, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

/** AccountParams are the path parameters of the account routes. */
export interface AccountParams {
  readonly id: string;
  readonly role?: string;
}

/** accountIdOf reads the account id from the path. */
export function accountIdOf(request: FastifyRequest): string {
  return (request.params as AccountParams).id;
}

/**
 * accountDetailPage is `GET /accounts/:id` (session; GetAccount, so `accounts:read`): the
 * account with its status, roles, tags, TOTP, password reset and, for system accounts, a link
 * to issue a token. Each card's actions are htmx requests answered with this whole section,
 * re-read after the change (sendAccount). With `[webauthn]` configured, the account's passkeys
 * follow in a card of their own (ListWebAuthnCredentials; removal in account-passkeys.ts).
 */
export function accountDetailPage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const account = await rpcFor(ctx, request).accounts.getAccount({ id: accountIdOf(request) });
    const passkeys = await accountPasskeys(ctx, request, account.id);
    const body = html`${accountView(account)}${passkeys && accountPasskeysCard(account.id, passkeys)}`;
    return sendPage(ctx, request, reply, { title: account.username, body });
  };
}

/** sendAccount answers an account action: the account as it is now, with what was done. */
export async function sendAccount(
  ctx: WebContext,
  request: FastifyRequest,
  reply: FastifyReply,
  notice: string,
): Promise<FastifyReply> {
  const account = await rpcFor(ctx, request).accounts.getAccount({ id: accountIdOf(request) });
  return sendFragment(reply, accountView(account, notice));
}

/** accountView is the account section; its htmx actions replace it (hx-target="this"). */
export function accountView(a: Account, notice?: string): SafeHTML {
  const live = a.status !== 'deleted';
  // prettier-ignore
  return html`<section id="account" data-status="${a.status}" hx-target="this" hx-swap="outerHTML">
${notice && noticeView(notice)}
<h1>${a.username}</h1>
<dl>
<dt>Id</dt><dd><code id="account-id">${a.id}</code></dd>
<dt>Type</dt><dd>${a.accountType}</dd>
<dt>Status</dt><dd id="account-status">${a.status}</dd>
<dt>TOTP</dt><dd id="account-totp">${a.totpRequired ? 'on' : 'off'}</dd>
<dt>Created</dt><dd>${timeView(a.createdAt)}</dd>
<dt>Updated</dt><dd>${timeView(a.updatedAt)}</dd>
${a.deletedAt && html`<dt>Deleted</dt><dd>${timeView(a.deletedAt)}</dd>`}
</dl>
${live && statusCard(a)}
${live && rolesCard(a)}
${live && tagsCard(a)}
${live && a.totpRequired && totpCard(a)}
${live && a.accountType === 'human' && passwordCard(a)}
${live && a.accountType === 'system' && html`<p><a id="issue-token-link" href="${webPaths.tokens}?account=${encodeURIComponent(a.id)}">Issue a service token for ${a.username}</a></p>`}
<p><a href="${webPaths.audit}?target_id=${encodeURIComponent(a.id)}">Audit events about ${a.username}</a></p>
</section>`;
}

function statusCard(a: Account): SafeHTML {
  const path = pathTo(webPaths.account, { id: a.id });
  const next = a.status === 'active' ? 'inactive' : 'active';
  // prettier-ignore
  return html`<div class="card" id="status-card">
<h2>Status</h2>
<form class="inline" hx-patch="${path}"><input type="hidden" name="status" value="${next}">
<button type="submit" id="status-toggle">${next === 'active' ? 'Activate' : 'Deactivate'}</button></form>
<button type="button" id="delete-account" hx-delete="${path}" hx-confirm="Delete ${a.username}? The username can never be used again.">Delete</button>
</div>`;
}

function rolesCard(a: Account): SafeHTML {
  const held = a.roles.map(
    (role) => html`<li data-role="${role}"><code>${role}</code>
<button type="button" class="revoke-role" hx-delete="${pathTo(webPaths.accountRole, { id: a.id, role })}">Revoke</button></li>`,
  );
  const grantable = allowedRoles.filter((role) => !a.roles.includes(role));
  // prettier-ignore
  return html`<div class="card" id="roles-card">
<h2>Roles</h2>
${a.roles.length > 0 ? html`<ul id="roles">${held}</ul>` : html`<p class="muted">No roles.</p>`}
<p class="muted">Roles take effect with the account's next token.</p>
${grantable.length > 0 && html`<form hx-post="${pathTo(webPaths.accountRoles, { id: a.id })}">
<label for="grant-role">Grant</label>
<select id="grant-role" name="role">${grantable.map((role) => html`<option value="${role}">${role}</option>`)}</select>
<button type="submit" id="grant-role-submit">Grant role</button>
</form>`}
</div>`;
}

function tagsCard(a: Account): SafeHTML {
  // prettier-ignore
  return html`<div class="card" id="tags-card">
<h2>Tags</h2>
<form hx-put="${pathTo(webPaths.accountTags, { id: a.id })}">
<p><label for="tags">One tag per line (the list replaces the current one)</label></p>
<textarea id="tags" name="tags" rows="4">${a.tags.join('\n')}</textarea>
<p><button type="submit" id="save-tags">Save tags</button></p>
</form>
</div>`;
}

function totpCard(a: Account): SafeHTML {
  // prettier-ignore
  return html`<div class="card" id="totp-card">
<h2>TOTP</h2>
<p>${a.username} signs in with a TOTP code. Removing it lets them sign in with the password alone until they enrol again.</p>
<button type="button" id="remove-totp" hx-delete="${pathTo(webPaths.accountTotp, { id: a.id })}" hx-confirm="Remove TOTP from ${a.username}?">Remove TOTP</button>
</div>`;
}

function passwordCard(a: Account): SafeHTML {
  // prettier-ignore
  return html`<div class="card" id="password-card">
<h2>Reset password</h2>
<form hx-put="${pathTo(webPaths.accountPassword, { id: a.id })}">
<p><label for="reset-password">New password</label>
<input id="reset-password" name="new_password" type="password" autocomplete="new-password" required maxlength="1024"></p>
<p><label for="reset-confirm">Repeat it</label>
<input id="reset-confirm" name="confirm_password" type="password" autocomplete="new-password" required maxlength="1024"></p>
<p class="muted">Every token of ${a.username} is revoked.</p>
<p><button type="submit" id="reset-password-submit">Reset password</button></p>
</form>
</div>`;
}
