import { timestampFromMs, type Timestamp } from '@bufbuild/protobuf/wkt';
import { html, InvalidRequestError, type SafeHTML } from '@metacircular/mcdsl';
import type { AuditEvent } from '@metacircular/proto/metacrypt/v1/audit_pb';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formField } from './form-input.js';
import { sendPage } from './metacrypt-page.js';
import { timeView } from './time-format.js';
import { apiFor, type WebContext } from './web-context.js';
import { webPaths } from './web-paths.js';

const pageSize = 50;
const filterNames = ['caller', 'mount', 'action', 'result', 'since', 'until'] as const;
type Filters = Record<(typeof filterNames)[number], string>;

/**
 * auditPage is `GET /audit` (ListAuditEvents: admin only in the API): the audit log newest
 * first, filtered by caller, mount, action, result and time (query parameters, so a filtered
 * view is a link), 50 a page with the API's paging. Records never hold secrets (the API keeps
 * them out), and every field is escaped.
 */
export function auditPage(ctx: WebContext): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  return async (request, reply) => {
    const f = Object.fromEntries(filterNames.map((name) => [name, formField(request.query, name).trim()])) as Filters;
    const since = utcTimestamp(f.since, 'since');
    const until = utcTimestamp(f.until, 'until');
    const page = await apiFor(ctx, request).audit.listAuditEvents({
      caller: f.caller,
      mount: f.mount,
      action: f.action,
      result: f.result,
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
      limit: pageSize,
      pageToken: formField(request.query, 'page_token'),
    });
    const nonEmpty = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== ''));
    const next = new URLSearchParams({ ...nonEmpty, page_token: page.nextPageToken });
    // prettier-ignore
    const body = html`<section id="audit">
<h1>Audit log</h1>
${filterForm(f)}
${auditTable(page.events)}
${page.nextPageToken && html`<p><a id="audit-older" href="${webPaths.audit}?${next.toString()}">Older events</a></p>`}
</section>`;
    return sendPage(ctx, request, reply, { title: 'Audit log', body });
  };
}

function auditTable(events: readonly AuditEvent[]): SafeHTML {
  if (events.length === 0) return html`<p class="muted" id="audit-empty">No events.</p>`;
  const rows = events.map(
    (e) => html`<tr data-action="${e.action}" data-result="${e.result}">
<td>${timeView(e.time)}</td>
<td>${e.caller}${e.isAdmin ? html` <span class="muted">(admin)</span>` : ''}</td>
<td><code>${e.action}</code></td>
<td>${e.mount}</td>
<td><code>${e.resource}</code></td>
<td>${e.result}</td>
<td>${e.reason}</td>
<td><code>${e.detail ? JSON.stringify(e.detail) : ''}</code></td>
</tr>`,
  );
  // prettier-ignore
  return html`<table id="audit-events">
<thead><tr><th>Time</th><th>Caller</th><th>Action</th><th>Mount</th><th>Resource</th><th>Result</th><th>Reason</th><th>Detail</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function filterForm(f: Filters): SafeHTML {
  // prettier-ignore
  return html`<form method="get" action="${webPaths.audit}" id="audit-filters">
<p><label for="audit-caller">Caller</label><input id="audit-caller" name="caller" value="${f.caller}">
<label for="audit-mount">Mount</label><input id="audit-mount" name="mount" value="${f.mount}"></p>
<p><label for="audit-action">Action</label><input id="audit-action" name="action" value="${f.action}">
<label for="audit-result">Result</label><select id="audit-result" name="result">${['', 'allow', 'deny', 'error'].map(
    (r) => html`<option value="${r}"${r === f.result ? html` selected` : ''}>${r || 'any'}</option>`,
  )}</select></p>
<p><label for="audit-since">Since (UTC)</label><input id="audit-since" name="since" type="datetime-local" value="${f.since}">
<label for="audit-until">Until (UTC)</label><input id="audit-until" name="until" type="datetime-local" value="${f.until}"></p>
<p><button type="submit">Filter</button> <a href="${webPaths.audit}">Clear</a></p>
</form>`;
}

/** utcTimestamp reads a datetime-local value (taken as UTC); '' is no bound. */
function utcTimestamp(value: string, field: string): Timestamp | undefined {
  if (value === '') return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  const ms = match ? Date.parse(`${value}${match[6] ? '' : ':00'}Z`) : NaN;
  if (Number.isNaN(ms)) throw new InvalidRequestError(`${field}: write a UTC time as 2026-03-25T14:00`);
  return timestampFromMs(ms);
}
