import { InvalidRequestError } from '@metacircular/mcdsl';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formField, formFlag, formList, formValues } from './form-input.js';
import { sendFragment, sendPage } from './mcias-page.js';
import { policiesView } from './policy-views.js';
import { utcTimestamp } from './utc-input.js';
import { rpcFor, type WebContext } from './web-context.js';

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/** policiesPage is `GET /policies` (session; ListPolicyRules, so `policy:list`). */
export function policiesPage(ctx: WebContext): Handler {
  return async (request, reply) => {
    const { rules } = await rpcFor(ctx, request).policy.listPolicyRules({});
    return sendPage(ctx, request, reply, { title: 'Policies', body: policiesView(rules) });
  };
}

/**
 * createRuleAction is `POST /policies` (CreatePolicyRule, `policy:manage`): the form becomes
 * a rule that the API validates with the engine's own parser; audited, engine reloaded.
 */
export function createRuleAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const body = request.body;
    const priority = Number(formField(body, 'priority') || '100');
    if (!Number.isSafeInteger(priority)) throw new InvalidRequestError('priority must be a whole number');
    const notBefore = utcTimestamp(formField(body, 'not_before').trim(), 'not_before');
    const expiresAt = utcTimestamp(formField(body, 'expires_at').trim(), 'expires_at');
    const rpc = rpcFor(ctx, request);
    const created = await rpc.policy.createPolicyRule({
      rule: {
        description: formField(body, 'description').trim(),
        effect: formField(body, 'effect'),
        priority,
        roles: formValues(body, 'roles'),
        accountTypes: formValues(body, 'account_types'),
        actions: formValues(body, 'actions'),
        serviceNames: formList(body, 'service_names'),
        requiredTags: formList(body, 'required_tags'),
        subjectUuid: formField(body, 'subject_uuid').trim(),
        resourceType: formField(body, 'resource_type').trim(),
        ownerMatchesSubject: formFlag(body, 'owner_matches_subject'),
        enabled: formFlag(body, 'enabled'),
        ...(notBefore ? { notBefore } : {}),
        ...(expiresAt ? { expiresAt } : {}),
      },
    });
    const { rules } = await rpc.policy.listPolicyRules({});
    return sendFragment(reply, policiesView(rules, `Rule ${created.id} added.`));
  };
}

/**
 * setRuleEnabledAction is `PATCH /policies/:id` (GetPolicyRule then UpdatePolicyRule,
 * `policy:manage`): the button sends the state it wants, so a double click cannot undo itself.
 */
export function setRuleEnabledAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const id = ruleIdOf(request);
    const enabled = formFlag(request.body, 'enabled');
    const rpc = rpcFor(ctx, request);
    const rule = await rpc.policy.getPolicyRule({ id });
    await rpc.policy.updatePolicyRule({ id, rule: { ...rule, enabled } });
    const { rules } = await rpc.policy.listPolicyRules({});
    return sendFragment(reply, policiesView(rules, `Rule ${id} ${enabled ? 'enabled' : 'disabled'}.`));
  };
}

/** deleteRuleAction is `DELETE /policies/:id` (DeletePolicyRule, `policy:manage`). */
export function deleteRuleAction(ctx: WebContext): Handler {
  return async (request, reply) => {
    const id = ruleIdOf(request);
    const rpc = rpcFor(ctx, request);
    await rpc.policy.deletePolicyRule({ id });
    const { rules } = await rpc.policy.listPolicyRules({});
    return sendFragment(reply, policiesView(rules, `Rule ${id} deleted.`));
  };
}

function ruleIdOf(request: FastifyRequest): bigint {
  const raw = (request.params as { id: string }).id;
  if (!/^-?[0-9]{1,18}$/.test(raw)) throw new InvalidRequestError('policy rule id must be a number');
  return BigInt(raw);
}
