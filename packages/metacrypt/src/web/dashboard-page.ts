import { html } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { settle } from './api-error.js';
import { errorView, redirectTo, sendPage } from './metacrypt-page.js';
import { mountLink } from './mount-links.js';
import { apiFor, sessionCaller, type WebContext } from './web-context.js';
import { webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/**
 * dashboardPage is `GET /` (session, unsealed): who is signed in, the server's state and
 * version, the mounts with links to their pages, and for admins the seal button.
 */
export function dashboardPage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const caller = sessionCaller(request);
    const api = apiFor(ctx, request);
    const status = await api.system.status({});
    const mounts = await settle(api.mounts.listMounts({}));
    const roles = caller.roles.length > 0 ? caller.roles.join(', ') : '(none)';
    const mountList = !mounts.ok
      ? errorView(mounts.problem)
      : mounts.value.mounts.length === 0
        ? html`<p class="muted">No mounts yet. <a href="${webPaths.mounts}">Create one</a>.</p>`
        : html`<ul id="dashboard-mounts">${mounts.value.mounts.map(
            (m) => html`<li data-mount="${m.name}">${mountLink(m)} <span class="muted">${m.type}</span></li>`,
          )}</ul>`;
    // prettier-ignore
    const body = html`<section id="dashboard">
<h1>Dashboard</h1>
<dl>
<dt>Signed in as</dt><dd id="dashboard-username">${caller.username}</dd>
<dt>Roles</dt><dd id="dashboard-roles">${roles}</dd>
<dt>Account type</dt><dd>${caller.accountType}</dd>
<dt>Metacrypt</dt><dd id="dashboard-state">${status.state}</dd>
<dt>Version</dt><dd>${status.version}</dd>
</dl>
</section>
<section id="dashboard-mount-list">
<h2>Mounts</h2>
${mountList}
</section>
${caller.isAdmin && html`<section id="seal-section">
<h2>Seal</h2>
<p>Sealing drops every key from memory; nothing works until someone unseals with the password.</p>
<button id="seal-submit" hx-post="${webPaths.seal}" hx-confirm="Seal Metacrypt now?">Seal Metacrypt</button>
</section>`}`;
    return sendPage(ctx, request, reply, { title: 'Dashboard', body });
  };
}

/** sealAction is `POST /seal` (CSRF, session): the API's Seal RPC (admin only there), then to /unseal. */
export function sealAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    await apiFor(ctx, request).system.seal({});
    request.log.warn({ by: sessionCaller(request).username }, 'metacrypt sealed through the web ui');
    return redirectTo(request, reply, webPaths.unseal);
  };
}
