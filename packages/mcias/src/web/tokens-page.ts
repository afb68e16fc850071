import { html, InvalidRequestError, type SafeHTML } from '@metacircular/mcdsl';
import type { Account } from '@metacircular/proto/mcias/v1/account_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formField } from './form-input.js';
import { noticeView, sendFragment, sendPage } from './mcias-page.js';
import { timeView } from './time-format.js';
import { rpcFor, type WebContext } from './web-context.js';
import { webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * tokensPage is `GET /tokens` (session; ListAccounts, so `accounts:list`, to offer the system
 * accounts): issue a service token, revoke any token by its jti. Nothing on this page, nor on
 * any page a browser can load again, ever holds a token.
 */
export function tokensPage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const { accounts } = await rpcFor(ctx, request).accounts.listAccounts({ includeDeleted: false });
    const systems = accounts.filter((a) => a.accountType === 'system' && a.status === 'active');
    const selected = formField(request.query, 'account');
    // prettier-ignore
    const body = html`<section id="issue-token">
<h1>Service tokens</h1>
<p>A system account's token lives long (a year by default) and is shown exactly once, right after it is issued. Store it at
once; MCIAS keeps only its id (jti).</p>
${systems.length === 0
  ? html`<p class="muted">There is no active system account. <a href="${webPaths.accounts}">Create one</a> first.</p>`
  : html`<form hx-post="${webPaths.tokensIssue}" hx-target="#issued-token" hx-swap="innerHTML">
<p><label for="token-account">System account</label>
<select id="token-account" name="account_id">${systems.map((a) => accountOption(a, selected))}</select>
<button type="submit" id="issue-token-submit">Issue token</button></p>
</form>`}
<div id="issued-token" hx-history="false"></div>
</section>
<section id="revoke-token">
<h2>Revoke a token</h2>
<p>Any token (a session, a service token) by its jti; the audit log lists the jti of every token issued.</p>
<form hx-post="${webPaths.tokensRevoke}" hx-target="#revoke-result" hx-swap="innerHTML">
<p><label for="revoke-jti">Token id (jti)</label>
<input id="revoke-jti" name="jti" required maxlength="64" autocomplete="off">
<button type="submit" id="revoke-token-submit">Revoke</button></p>
</form>
<div id="revoke-result"></div>
</section>`;
    return sendPage(ctx, request, reply, { title: 'Service tokens', body });
  };
}

/**
 * issueTokenAction is `POST /tokens/issue` (IssueServiceToken, `tokens:issue` on the target;
 * audited as token_issued). The token is in this response only: an htmx fragment, never a page
 * the browser can reload, with no-store and hx-history="false" so htmx keeps no copy either.
 */
export function issueTokenAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const accountId = formField(request.body, 'account_id');
    if (accountId === '') throw new InvalidRequestError('choose a system account');
    const issued = await rpcFor(ctx, request).tokens.issueServiceToken({ accountId });
    const jti = jtiOf(issued.token);
    // prettier-ignore
    return sendFragment(reply, html`<div id="issued" hx-history="false">
${noticeView('Token issued. Copy it now: it is not shown again.')}
<p><label for="issued-token-value">Token</label></p>
<textarea id="issued-token-value" class="secret" rows="4" readonly>${issued.token}</textarea>
<dl>
<dt>jti</dt><dd><code id="issued-jti">${jti}</code></dd>
<dt>Expires</dt><dd>${timeView(issued.expiresAt)}</dd>
</dl>
</div>`);
  };
}

/** revokeTokenAction is `POST /tokens/revoke` (RevokeToken, `tokens:revoke`; audited as token_revoked). */
export function revokeTokenAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const jti = formField(request.body, 'jti').trim();
    if (jti === '') throw new InvalidRequestError('enter the jti of the token to revoke');
    await rpcFor(ctx, request).tokens.revokeToken({ jti });
    return sendFragment(reply, noticeView(`Token ${jti} is revoked.`));
  };
}

function accountOption(a: Account, selected: string): SafeHTML {
  return html`<option value="${a.id}"${a.id === selected ? html` selected` : ''}>${a.username}</option>`;
}

// The jti is read from the token we just signed, for display: it is what revocation takes.
function jtiOf(token: string): string {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti?: unknown };
    return typeof claims.jti === 'string' ? claims.jti : '';
  } catch {
    return '';
  }
}
