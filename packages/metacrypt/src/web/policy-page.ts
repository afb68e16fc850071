import { html } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { routeParam } from './form-input.js';
import { csrfInput, redirectTo, sendPage, sendSection } from './metacrypt-page.js';
import { ruleFields, ruleFromForm, rulesView } from './policy-views.js';
import { apiFor, csrfFor, type WebContext } from './web-context.js';
import { pathTo, webPaths } from './web-paths.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

// Every handler below is one or two PolicyService calls under the session's token: the rule CRUD
// is admin only in the API, so a non-admin sees the API's 403 message and nothing changes.

/** policyPage is `GET /policy` (ListRules). */
export function policyPage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const { rules } = await apiFor(ctx, request).policy.listRules({});
    return sendPage(ctx, request, reply, { title: 'Policy', body: rulesView(rules, csrfFor(ctx, reply)) });
  };
}

/** createRuleAction is `POST /policy` (CreateRule, validated by the API's rule parser). */
export function createRuleAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const api = apiFor(ctx, request);
    const created = await api.policy.createRule({ rule: ruleFromForm(request.body) });
    const { rules } = await api.policy.listRules({});
    const notice = `Rule ${created.name || created.id} added.`;
    return sendSection(ctx, request, reply, 'Policy', rulesView(rules, csrfFor(ctx, reply), notice));
  };
}

/** deleteRuleAction is `DELETE /policy/:id` (DeleteRule). */
export function deleteRuleAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const id = routeParam(request.params, 'id');
    const api = apiFor(ctx, request);
    await api.policy.deleteRule({ id });
    const { rules } = await api.policy.listRules({});
    return sendSection(ctx, request, reply, 'Policy', rulesView(rules, csrfFor(ctx, reply), `Rule ${id} deleted.`));
  };
}

/** rulePage is `GET /policy/:id` (GetRule): the rule in the form, to change it. */
export function rulePage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const rule = await apiFor(ctx, request).policy.getRule({ id: routeParam(request.params, 'id') });
    const path = pathTo(webPaths.policyRule, { id: rule.id });
    // prettier-ignore
    const body = html`<section id="policy-rule" data-rule-id="${rule.id}">
<h1>Rule ${rule.name || rule.id}</h1>
<p class="muted">id <code>${rule.id}</code></p>
<form id="update-rule" hx-put="${path}">
${csrfInput(csrfFor(ctx, reply))}
${ruleFields(rule)}
<p><button type="submit" id="update-rule-submit">Save</button> <a href="${webPaths.policy}">Back to the rules</a></p>
</form>
</section>`;
    return sendPage(ctx, request, reply, { title: `Rule ${rule.name || rule.id}`, body });
  };
}

/** updateRuleAction is `PUT /policy/:id` (UpdateRule replaces the rule); then back to the list. */
export function updateRuleAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const id = routeParam(request.params, 'id');
    await apiFor(ctx, request).policy.updateRule({ id, rule: ruleFromForm(request.body) });
    return redirectTo(request, reply, webPaths.policy);
  };
}
