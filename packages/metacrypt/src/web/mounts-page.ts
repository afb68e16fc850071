import type { JsonObject } from '@bufbuild/protobuf';
import { html, InvalidRequestError, type SafeHTML } from '@metacircular/mcdsl';
import type { Mount } from '@metacircular/proto/metacrypt/v1/mount_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formField, routeParam } from './form-input.js';
import { csrfInput, noticeView, sendPage, sendSection } from './metacrypt-page.js';
import { mountLink } from './mount-links.js';
import { timeView } from './time-format.js';
import { apiFor, csrfFor, type CsrfField, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

const engineTypes = ['ca', 'sshca', 'transit', 'user'] as const;

/** mountsPage is `GET /mounts` (session): ListMounts (any valid token), and the create form. */
export function mountsPage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const { mounts } = await apiFor(ctx, request).mounts.listMounts({});
    return sendPage(ctx, request, reply, { title: 'Mounts', body: mountsView(mounts, csrfFor(ctx, reply)) });
  };
}

/**
 * createMountAction is `POST /mounts` (CreateMount: admin only, the API says so). The config is
 * a JSON object the engine validates; an empty field means the engine's defaults.
 */
export function createMountAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const name = formField(request.body, 'name').trim();
    const type = formField(request.body, 'type');
    const config = parseConfig(formField(request.body, 'config'));
    const api = apiFor(ctx, request);
    await api.mounts.createMount({ name, type, config });
    const { mounts } = await api.mounts.listMounts({});
    return sendSection(ctx, request, reply, 'Mounts', mountsView(mounts, csrfFor(ctx, reply), `Mount ${name} created.`));
  };
}

/** deleteMountAction is `DELETE /mounts/:name` (DeleteMount: admin only); its data and key are wiped. */
export function deleteMountAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const name = routeParam(request.params, 'name');
    const api = apiFor(ctx, request);
    await api.mounts.deleteMount({ name });
    const { mounts } = await api.mounts.listMounts({});
    return sendSection(ctx, request, reply, 'Mounts', mountsView(mounts, csrfFor(ctx, reply), `Mount ${name} deleted.`));
  };
}

function parseConfig(text: string): JsonObject {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidRequestError('config: not valid JSON; write an object such as {"default_ttl": "720h"} or leave it empty');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidRequestError('config: must be a JSON object such as {"default_ttl": "720h"}');
  }
  return parsed as JsonObject;
}

function mountsView(mounts: readonly Mount[], csrf: CsrfField, notice?: string): SafeHTML {
  const rows = mounts.map(
    (m) => html`<tr data-mount="${m.name}" data-type="${m.type}">
<td>${mountLink(m)}</td><td>${m.type}</td><td>${timeView(m.createdAt)}</td>
<td><code>${JSON.stringify(m.config ?? {})}</code></td>
<td><button class="delete-mount" hx-delete="${pathTo(webPaths.mount, { name: m.name })}" hx-target="#mounts" hx-swap="outerHTML"
 hx-confirm="Delete mount ${m.name}? Its keys and data are destroyed.">Delete</button></td>
</tr>`,
  );
  // prettier-ignore
  return html`<div id="mounts">
<section>
<h1>Mounts</h1>
${notice && noticeView(notice)}
${mounts.length === 0
    ? html`<p class="muted" id="mounts-empty">No mounts yet.</p>`
    : html`<table id="mount-table"><thead><tr><th>Name</th><th>Type</th><th>Created</th><th>Config</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>`}
</section>
<section>
<h2>Create a mount</h2>
<p class="muted">Admins only. Each mount has its own data encryption key.</p>
<form id="create-mount" method="post" action="${webPaths.mounts}" hx-post="${webPaths.mounts}" hx-target="#mounts" hx-swap="outerHTML">
${csrfInput(csrf)}
<p><label for="mount-name">Name</label><input id="mount-name" name="name" required maxlength="63" pattern="[a-z0-9][a-z0-9-]{0,62}"></p>
<p><label for="mount-type">Engine</label><select id="mount-type" name="type">${engineTypes.map((t) => html`<option value="${t}">${t}</option>`)}</select></p>
<p><label for="mount-config">Config (JSON, optional)</label><textarea id="mount-config" name="config" rows="3" placeholder="{}"></textarea></p>
<p><button type="submit" id="create-mount-submit">Create</button></p>
</form>
</section>
</div>`;
}
