import { html, McError, type SafeHTML } from '@metacircular/mcdsl';
import type { AuditEvent } from '@metacircular/proto/mcias/v1/audit_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Actions } from '../policy/index.js';
import { auditTable } from './audit-table.js';
import { sendPage } from './mcias-page.js';
import { timeView } from './time-format.js';
import { mayDo, rpcFor, sessionCaller, type WebContext } from './web-context.js';
import { webPaths } from './web-paths.js';

/**
 * dashboardPage is `GET /` (session): who is signed in, until when, and, for callers the policy
 * lets read the audit log, the ten latest events.
 */
export function dashboardPage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const caller = sessionCaller(request);
    let recent: readonly AuditEvent[] | undefined;
    try {
      recent = (await rpcFor(ctx, request).audit.listAuditEvents({ pageSize: 10 })).events;
    } catch (err) {
      if (!(err instanceof McError && err.category === 'forbidden')) throw err;
    }
    const roles = caller.roles.length > 0 ? caller.roles.join(', ') : '(none)';
    // prettier-ignore
    const body = html`<section id="dashboard">
<h1>Dashboard</h1>
<dl>
<dt>Signed in as</dt><dd id="dashboard-username">${caller.username}</dd>
<dt>Roles</dt><dd id="dashboard-roles">${roles}</dd>
<dt>Account type</dt><dd>${caller.accountType}</dd>
<dt>Session expires</dt><dd>${timeView(caller.expiresAt)}</dd>
</dl>
<p>${mayDo(ctx.core, caller, Actions.AccountsList, 'account') && html`<a href="${webPaths.tokens}">Issue or revoke service tokens</a> · `}<a href="${webPaths.profile}">Change your password or set up TOTP</a></p>
</section>
${recent && recentView(recent)}`;
    return sendPage(ctx, request, reply, { title: 'Dashboard', body });
  };
}

function recentView(events: readonly AuditEvent[]): SafeHTML {
  // prettier-ignore
  return html`<section id="recent-events">
<h2>Latest events</h2>
${auditTable(events)}
<p><a href="${webPaths.audit}">The whole audit log</a></p>
</section>`;
}
