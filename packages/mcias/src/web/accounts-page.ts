import { html, InvalidRequestError, type SafeHTML } from '@metacircular/mcdsl';
import type { Account } from '@metacircular/proto/mcias/v1/account_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { allowedRoles } from '../accounts/index.js';
import { formField, formList, formValues } from './form-input.js';
import { redirectTo, sendPage } from './mcias-page.js';
import { rpcFor, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

/**
 * accountsPage is `GET /accounts` (session; ListAccounts, so `accounts:list`): every account
 * (deleted ones with `?deleted=1`) and the form to create one.
 */
export function accountsPage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const includeDeleted = formField(request.query, 'deleted') === '1';
    const { accounts } = await rpcFor(ctx, request).accounts.listAccounts({ includeDeleted });
    // prettier-ignore
    const body = html`<section id="accounts">
<h1>Accounts</h1>
<p>${includeDeleted
  ? html`<a href="${webPaths.accounts}">Hide deleted accounts</a>`
  : html`<a href="${webPaths.accounts}?deleted=1">Show deleted accounts</a>`} · <a href="${webPaths.tokens}">Service tokens</a></p>
${accountsTable(accounts)}
</section>
${createAccountForm()}`;
    return sendPage(ctx, request, reply, { title: 'Accounts', body });
  };
}

/**
 * createAccountAction is `POST /accounts` (CSRF; CreateAccount, so `accounts:create`, and only
 * an admin may give the admin role). The two password fields must match. On success the
 * browser goes to the new account's page.
 */
export function createAccountAction(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const body = request.body;
    const password = formField(body, 'password');
    if (password !== formField(body, 'confirm_password')) {
      throw new InvalidRequestError('the two passwords differ; type the same password twice');
    }
    const created = await rpcFor(ctx, request).accounts.createAccount({
      username: formField(body, 'username').trim(),
      accountType: formField(body, 'account_type'),
      password,
      roles: formValues(body, 'roles'),
      tags: formList(body, 'tags'),
    });
    return redirectTo(request, reply, pathTo(webPaths.account, { id: created.id }));
  };
}

function accountsTable(accounts: readonly Account[]): SafeHTML {
  const rows = accounts.map(
    (a) => html`<tr data-username="${a.username}">
<td><a href="${pathTo(webPaths.account, { id: a.id })}">${a.username}</a></td>
<td>${a.accountType}</td>
<td>${a.status}</td>
<td>${a.roles.join(', ')}</td>
<td>${a.tags.join(', ')}</td>
<td>${a.totpRequired ? 'on' : 'off'}</td>
</tr>`,
  );
  // prettier-ignore
  return html`<table id="accounts-table">
<thead><tr><th>Username</th><th>Type</th><th>Status</th><th>Roles</th><th>Tags</th><th>TOTP</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function createAccountForm(): SafeHTML {
  const roles = allowedRoles.map(
    (role) => html`<label class="inline"><input type="checkbox" name="roles" value="${role}"> ${role}</label> `,
  );
  // prettier-ignore
  return html`<section id="create-account">
<h2>Create an account</h2>
<form hx-post="${webPaths.accounts}">
<p><label for="new-username">Username</label>
<input id="new-username" name="username" required maxlength="64"></p>
<p><label for="new-account-type">Type</label>
<select id="new-account-type" name="account_type">
<option value="human">human (signs in with a password)</option>
<option value="system">system (a service; gets issued tokens, has no password)</option>
</select></p>
<p><label for="new-password">Password</label>
<input id="new-password" name="password" type="password" autocomplete="new-password" maxlength="1024"> <span class="muted">at least 12 characters; empty for a system account</span></p>
<p><label for="new-confirm-password">Repeat password</label>
<input id="new-confirm-password" name="confirm_password" type="password" autocomplete="new-password" maxlength="1024"></p>
<p><span class="label">Roles</span> ${roles}</p>
<p><label for="new-tags">Tags</label>
<textarea id="new-tags" name="tags" rows="2" placeholder="env:restricted"></textarea></p>
<p><button type="submit" id="create-account-submit">Create account</button></p>
</form>
</section>`;
}
