import { html, type SafeHTML } from '@metacircular/mcdsl';
import type { PolicyRule } from '@metacircular/proto/mcias/v1/policy_pb';
import { allowedRoles } from '../accounts/index.js';
import { allActions } from '../policy/index.js';
import { noticeView } from './mcias-page.js';
import { timeView } from './time-format.js';
import { pathTo, webPaths } from './web-paths.js';

/**
 * policiesView is the policies section: every rule in evaluation order (built-in rules read
 * only), the enable/disable and delete buttons of operator rules, and the form for a new rule.
 * Its htmx actions replace the whole section (hx-target="this"), so the form comes back empty.
 */
export function policiesView(rules: readonly PolicyRule[], notice?: string): SafeHTML {
  const sorted = [...rules].sort((a, b) => a.priority - b.priority || Number(a.id - b.id));
  // prettier-ignore
  return html`<section id="policies" hx-target="this" hx-swap="outerHTML">
${notice && noticeView(notice)}
<h1>Login and access policy</h1>
<p>Rules are evaluated in priority order (lowest first); a matching deny wins over any allow; without a matching allow the
answer is deny. Empty conditions match everything. Built-in rules cannot be changed.</p>
<table id="policy-rules">
<thead><tr><th>Id</th><th>Priority</th><th>Effect</th><th>Description</th><th>Matches</th><th>Window</th><th>Enabled</th><th></th></tr></thead>
<tbody>
${sorted.map(ruleRow)}
</tbody>
</table>
${createRuleForm()}
</section>`;
}

function ruleRow(r: PolicyRule): SafeHTML {
  const id = String(r.id);
  const path = pathTo(webPaths.policy, { id });
  // prettier-ignore
  const actions = r.builtin
    ? html`<span class="muted">built-in</span>`
    : html`<form class="inline" hx-patch="${path}"><input type="hidden" name="enabled" value="${r.enabled ? 'false' : 'true'}">
<button type="submit" class="toggle-rule">${r.enabled ? 'Disable' : 'Enable'}</button></form>
<button type="button" class="delete-rule" hx-delete="${path}" hx-confirm="Delete policy rule ${id}?">Delete</button>`;
  // prettier-ignore
  return html`<tr data-rule-id="${id}" data-enabled="${r.enabled ? 'true' : 'false'}"${r.builtin ? html` data-builtin="true"` : ''}>
<td>${id}</td><td>${r.priority}</td><td>${r.effect}</td><td>${r.description}</td>
<td>${conditions(r)}</td>
<td>${r.notBefore || r.expiresAt ? html`${timeView(r.notBefore)} to ${timeView(r.expiresAt)}` : html`<span class="muted">always</span>`}</td>
<td>${r.enabled ? 'yes' : 'no'}</td>
<td>${actions}</td>
</tr>`;
}

function conditions(r: PolicyRule): SafeHTML {
  const parts: Array<[string, readonly string[]]> = [
    ['roles', r.roles],
    ['account types', r.accountTypes],
    ['actions', r.actions],
    ['services', r.serviceNames],
    ['tags', r.requiredTags],
    ['subject', r.subjectUuid ? [r.subjectUuid] : []],
    ['resource', r.resourceType ? [r.resourceType] : []],
    ['owner is subject', r.ownerMatchesSubject ? ['yes'] : []],
  ];
  const shown = parts.filter(([, values]) => values.length > 0);
  if (shown.length === 0) return html`<span class="muted">everything</span>`;
  return html`${shown.map(([name, values]) => html`<div>${name}: <code>${values.join(', ')}</code></div>`)}`;
}

function checkboxes(name: string, values: readonly string[]): SafeHTML {
  return html`${values.map((v) => html`<label class="inline"><input type="checkbox" name="${name}" value="${v}"> ${v}</label> `)}`;
}

function createRuleForm(): SafeHTML {
  // prettier-ignore
  return html`<div class="card" id="create-rule">
<h2>Add a rule</h2>
<form hx-post="${webPaths.policies}">
<p><label for="rule-description">Description</label>
<input id="rule-description" name="description" maxlength="512" size="50"></p>
<p><label for="rule-effect">Effect</label>
<select id="rule-effect" name="effect"><option value="deny">deny</option><option value="allow">allow</option></select>
<label for="rule-priority">Priority</label>
<input id="rule-priority" name="priority" type="number" min="0" value="100" required></p>
<p><span class="label">Roles</span> ${checkboxes('roles', allowedRoles)}</p>
<p><span class="label">Account types</span> ${checkboxes('account_types', ['human', 'system'])}</p>
<p><span class="label">Actions</span> ${checkboxes('actions', allActions)}</p>
<p><label for="rule-services">Service names</label>
<input id="rule-services" name="service_names" placeholder="mcr, metacrypt" size="40"></p>
<p><label for="rule-tags">Required tags</label>
<input id="rule-tags" name="required_tags" placeholder="env:restricted" size="40"></p>
<p><label for="rule-subject">Subject account id</label>
<input id="rule-subject" name="subject_uuid" size="40">
<label for="rule-resource">Resource type</label>
<input id="rule-resource" name="resource_type" size="12">
<label class="inline"><input type="checkbox" name="owner_matches_subject" value="true"> owner is the subject</label></p>
<p><label for="rule-not-before">Not before (UTC)</label>
<input id="rule-not-before" name="not_before" type="datetime-local">
<label for="rule-expires-at">Expires (UTC)</label>
<input id="rule-expires-at" name="expires_at" type="datetime-local"></p>
<p><label class="inline"><input type="checkbox" id="rule-enabled" name="enabled" value="true" checked> enabled</label></p>
<p><button type="submit" id="create-rule-submit">Add rule</button></p>
</form>
</div>`;
}
