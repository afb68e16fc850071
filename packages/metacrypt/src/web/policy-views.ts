import { html, InvalidRequestError, type SafeHTML } from '@metacircular/mcdsl';
import type { PolicyRule } from '@metacircular/proto/metacrypt/v1/policy_pb';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { PolicyRuleSchema } from '@metacircular/proto/metacrypt/v1/policy_pb';
import { formField, formFlag, formList, formValues } from './form-input.js';
import { csrfInput, noticeView } from './metacrypt-page.js';
import type { CsrfField } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

/** RuleInput is a rule as a form sends it, for CreateRule and UpdateRule. */
export type RuleInput = MessageInitShape<typeof PolicyRuleSchema>;

/**
 * ruleFromForm reads the rule form (lists are comma or whitespace separated). Only the shape is
 * checked here (priority is a whole number); the API's rule parser decides what is valid.
 */
export function ruleFromForm(body: unknown): RuleInput {
  const priorityText = formField(body, 'priority').trim() || '100';
  const priority = Number(priorityText);
  if (!Number.isInteger(priority) || Math.abs(priority) > 2 ** 31 - 1) {
    throw new InvalidRequestError('priority: must be a whole number (higher is evaluated first)');
  }
  return {
    name: formField(body, 'name').trim(),
    priority,
    effect: formField(body, 'effect'),
    usernames: formList(body, 'usernames'),
    roles: formList(body, 'roles'),
    accountTypes: formValues(body, 'account_types'),
    resources: formList(body, 'resources'),
    actions: formList(body, 'actions'),
    conditions: {
      allowedSans: formList(body, 'allowed_sans'),
      deniedSans: formList(body, 'denied_sans'),
      maxTtl: formField(body, 'max_ttl').trim(),
      allowWildcardSans: formFlag(body, 'allow_wildcard_sans'),
    },
  };
}

/** rulesView is the policy page's body: the rules by priority and the form adding one. */
export function rulesView(rules: readonly PolicyRule[], csrf: CsrfField, notice?: string): SafeHTML {
  const rows = rules.map(
    (r) => html`<tr data-rule-id="${r.id}" data-effect="${r.effect}">
<td><a href="${pathTo(webPaths.policyRule, { id: r.id })}">${r.name || r.id}</a></td>
<td>${r.priority}</td><td>${r.effect}</td>
<td>${subjectsView(r)}</td>
<td><code>${r.resources.join(' ')}</code></td>
<td><code>${r.actions.join(' ')}</code></td>
<td>${conditionsView(r)}</td>
<td><button class="delete-rule" hx-delete="${pathTo(webPaths.policyRule, { id: r.id })}" hx-target="#policy" hx-swap="outerHTML"
 hx-confirm="Delete the rule ${r.name || r.id}?">Delete</button></td>
</tr>`,
  );
  // prettier-ignore
  return html`<div id="policy">
<section>
<h1>Policy rules</h1>
<p class="muted">Highest priority first; at equal priority deny wins; nothing matching means deny. Admins bypass the policy.</p>
${notice && noticeView(notice)}
${rules.length === 0
    ? html`<p class="muted" id="rules-empty">No rules: only admins can use the engines.</p>`
    : html`<table id="rule-table"><thead><tr><th>Name</th><th>Priority</th><th>Effect</th><th>Subjects</th><th>Resources</th><th>Actions</th><th>Conditions</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>`}
</section>
<section>
<h2>Add a rule</h2>
<form id="create-rule" method="post" action="${webPaths.policy}" hx-post="${webPaths.policy}" hx-target="#policy" hx-swap="outerHTML">
${csrfInput(csrf)}
${ruleFields(undefined)}
<p><button type="submit" id="create-rule-submit">Add rule</button></p>
</form>
</section>
</div>`;
}

/** ruleFields are the inputs of one rule, filled from `rule` when editing. */
export function ruleFields(rule: PolicyRule | undefined): SafeHTML {
  const list = (values: readonly string[] | undefined): string => (values ?? []).join(', ');
  const types = rule?.accountTypes ?? [];
  const effect = rule?.effect ?? 'allow';
  // prettier-ignore
  return html`<p><label for="rule-name">Name</label><input id="rule-name" name="name" maxlength="200" value="${rule?.name ?? ''}"></p>
<p><label for="rule-priority">Priority</label><input id="rule-priority" name="priority" type="number" value="${rule?.priority ?? 100}"></p>
<p><label for="rule-effect">Effect</label><select id="rule-effect" name="effect">${['allow', 'deny'].map(
    (e) => html`<option value="${e}"${e === effect ? html` selected` : ''}>${e}</option>`,
  )}</select></p>
<p><label for="rule-usernames">Usernames</label><input id="rule-usernames" name="usernames" size="50" value="${list(rule?.usernames)}" placeholder="any"></p>
<p><label for="rule-roles">Roles</label><input id="rule-roles" name="roles" size="50" value="${list(rule?.roles)}" placeholder="any"></p>
<p><span class="label">Account types</span>
${['human', 'system'].map((t) => html`<label><input type="checkbox" name="account_types" value="${t}"${types.includes(t) ? html` checked` : ''}> ${t}</label>`)}</p>
<p><label for="rule-resources">Resources (globs)</label><input id="rule-resources" name="resources" size="50" value="${list(rule?.resources)}" placeholder="transit/mount/keys/*"></p>
<p><label for="rule-actions">Actions</label><input id="rule-actions" name="actions" size="50" value="${list(rule?.actions)}" placeholder="encrypt, decrypt"></p>
<p><label for="rule-allowed-sans">Allowed SANs</label><input id="rule-allowed-sans" name="allowed_sans" size="50" value="${list(rule?.conditions?.allowedSans)}"></p>
<p><label for="rule-denied-sans">Denied SANs</label><input id="rule-denied-sans" name="denied_sans" size="50" value="${list(rule?.conditions?.deniedSans)}"></p>
<p><label for="rule-max-ttl">Max TTL</label><input id="rule-max-ttl" name="max_ttl" size="10" value="${rule?.conditions?.maxTtl ?? ''}" placeholder="2160h"></p>
<p><label><input type="checkbox" name="allow_wildcard_sans" value="true"${rule?.conditions?.allowWildcardSans ? html` checked` : ''}> Allow wildcard SANs</label></p>`;
}

function subjectsView(r: PolicyRule): SafeHTML {
  const parts = [
    r.usernames.length > 0 ? `users ${r.usernames.join(', ')}` : '',
    r.roles.length > 0 ? `roles ${r.roles.join(', ')}` : '',
    r.accountTypes.length > 0 ? `types ${r.accountTypes.join(', ')}` : '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? html`<span class="muted">anyone</span>` : html`${parts.join('; ')}`;
}

function conditionsView(r: PolicyRule): SafeHTML {
  const c = r.conditions;
  if (!c) return html``;
  const parts = [
    c.allowedSans.length > 0 ? `allowed SANs ${c.allowedSans.join(', ')}` : '',
    c.deniedSans.length > 0 ? `denied SANs ${c.deniedSans.join(', ')}` : '',
    c.maxTtl ? `max TTL ${c.maxTtl}` : '',
    c.allowWildcardSans ? 'wildcards allowed' : '',
  ].filter((p) => p !== '');
  return html`${parts.join('; ')}`;
}
