import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditEvents } from '../audit/index.js';
import { auditTable } from './audit-table.js';
import { formField } from './form-input.js';
import { sendPage } from './mcias-page.js';
import { utcTimestamp } from './utc-input.js';
import { rpcFor, type WebContext } from './web-context.js';
import { webPaths } from './web-paths.js';

const pageSize = 50;
const filterNames = ['event_type', 'actor_id', 'target_id', 'since', 'until'] as const;
type Filters = Record<(typeof filterNames)[number], string>;

/**
 * auditPage is `GET /audit` (session; ListAuditEvents, so `audit:read`): the audit log newest
 * first, filtered by event type, actor, target and time (query parameters, so a filtered view
 * is a link), 50 events a page with the API's keyset paging ("older events" carries the
 * page token and the filters).
 */
export function auditPage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const filters = Object.fromEntries(filterNames.map((name) => [name, formField(request.query, name).trim()])) as Filters;
    const since = utcTimestamp(filters.since, 'since');
    const until = utcTimestamp(filters.until, 'until');
    const page = await rpcFor(ctx, request).audit.listAuditEvents({
      eventType: filters.event_type,
      actorId: filters.actor_id,
      targetId: filters.target_id,
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
      pageSize,
      pageToken: formField(request.query, 'page_token'),
    });
    const next = new URLSearchParams({ ...nonEmpty(filters), page_token: page.nextPageToken });
    // prettier-ignore
    const body = html`<section id="audit">
<h1>Audit log</h1>
${filterForm(filters)}
${auditTable(page.events)}
${page.nextPageToken && html`<p><a id="audit-older" href="${webPaths.audit}?${next.toString()}">Older events</a></p>`}
</section>`;
    return sendPage(ctx, request, reply, { title: 'Audit log', body });
  };
}

function filterForm(f: Filters): SafeHTML {
  const types = Object.values(AuditEvents).sort();
  // prettier-ignore
  return html`<form method="get" action="${webPaths.audit}" id="audit-filters">
<p><label for="audit-type">Event</label>
<select id="audit-type" name="event_type"><option value="">any</option>${types.map(
    (t) => html`<option value="${t}"${t === f.event_type ? html` selected` : ''}>${t}</option>`,
  )}</select></p>
<p><label for="audit-actor">Actor id</label><input id="audit-actor" name="actor_id" size="38" value="${f.actor_id}">
<label for="audit-target">Target id</label><input id="audit-target" name="target_id" size="38" value="${f.target_id}"></p>
<p><label for="audit-since">Since (UTC)</label><input id="audit-since" name="since" type="datetime-local" value="${f.since}">
<label for="audit-until">Until (UTC)</label><input id="audit-until" name="until" type="datetime-local" value="${f.until}"></p>
<p><button type="submit">Filter</button> <a href="${webPaths.audit}">Clear</a></p>
</form>`;
}

function nonEmpty(filters: Filters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ''));
}
