import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { AuditEvent } from '@metacircular/proto/mcias/v1/audit_pb';
import { timeView } from './time-format.js';
import { webPaths } from './web-paths.js';

/**
 * auditTable lists audit events, newest first. Actors and targets link to the audit page
 * filtered by them. Details are the stored facts (never a secret: the audit log scrubs them).
 */
export function auditTable(events: readonly AuditEvent[]): SafeHTML {
  if (events.length === 0) return html`<p class="muted" id="audit-empty">No events.</p>`;
  const who = (id: string, username: string, field: 'actor_id' | 'target_id'): SafeHTML =>
    id === ''
      ? html`<span class="muted">–</span>`
      : html`<a href="${webPaths.audit}?${field}=${encodeURIComponent(id)}">${username || id}</a>`;
  const rows = events.map(
    (e) => html`<tr data-event-type="${e.eventType}">
<td>${timeView(e.eventTime)}</td>
<td><code>${e.eventType}</code></td>
<td>${who(e.actorId, e.actorUsername, 'actor_id')}</td>
<td>${who(e.targetId, e.targetUsername, 'target_id')}</td>
<td>${e.ipAddress}</td>
<td><code>${e.details ? JSON.stringify(e.details) : ''}</code></td>
</tr>`,
  );
  // prettier-ignore
  return html`<table id="audit-events">
<thead><tr><th>Time</th><th>Event</th><th>Actor</th><th>Target</th><th>Address</th><th>Details</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}
