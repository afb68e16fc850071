import { NotFoundError, PreconditionError, registerService, type ServiceRegistration } from '@metacircular/mcdsl';
import { PolicyService } from '@metacircular/proto/mcias/v1/policy_pb';
import type { HandlerContext } from '@connectrpc/connect';
import { AuditEvents } from '../audit/index.js';
import type { Core } from '../core.js';
import { Actions, builtinRules, policyRuleToJSON, type Action, type PolicyRule } from '../policy/index.js';
import type { MciasCaller } from '../tokens/index.js';
import { parseRuleMessage, policyRuleMessage } from './policy-rule-message.js';
import { actorOf, requireCaller, subjectOf } from './request-context.js';

/**
 * policyService serves policy-rule CRUD (policy:list to read, policy:manage to change). Built-in
 * rules are listed with their negative ids but refuse change and deletion with 412
 * FAILED_PRECONDITION: no caller, admin included, may change them, so it is not a permission
 * question. After every change the engine reloads the rules from the database.
 */
export function policyService(core: Core): ServiceRegistration {
  const authorize = (ctx: HandlerContext, action: Action): MciasCaller => {
    const caller = requireCaller(ctx);
    core.authorizer.require(subjectOf(caller), action, { type: 'policy' });
    return caller;
  };
  const id = (value: bigint): number => {
    const n = Number(value);
    if (n < 0)
      throw new PreconditionError(`policy rule ${n} is built in and cannot be changed or deleted`, { code: 'ERR_BUILTIN_RULE' });
    return n;
  };
  const find = (value: bigint): PolicyRule => {
    const n = Number(value);
    const rule = n < 0 ? builtinRules.find((r) => r.id === n) : core.stores.policyRules.get(n);
    if (!rule) throw new NotFoundError(`policy rule ${n} not found`);
    return rule;
  };

  return registerService(PolicyService, {
    listPolicyRules(_req, ctx) {
      authorize(ctx, Actions.PolicyList);
      return { rules: [...builtinRules, ...core.stores.policyRules.all()].map(policyRuleMessage) };
    },

    createPolicyRule(req, ctx) {
      const caller = authorize(ctx, Actions.PolicyManage);
      const created = core.stores.policyRules.insert(parseRuleMessage(req.rule), core.now());
      core.authorizer.reload();
      core.audit.record({
        type: AuditEvents.PolicyRuleCreated,
        actorId: caller.id,
        ip: actorOf(ctx).ip,
        details: { rule: policyRuleToJSON(created) },
      });
      return policyRuleMessage(created);
    },

    getPolicyRule(req, ctx) {
      authorize(ctx, Actions.PolicyList);
      return policyRuleMessage(find(req.id));
    },

    updatePolicyRule(req, ctx) {
      const caller = authorize(ctx, Actions.PolicyManage);
      const ruleId = id(req.id);
      const before = find(req.id);
      const updated = core.stores.policyRules.update(ruleId, parseRuleMessage(req.rule), core.now());
      if (!updated) throw new NotFoundError(`policy rule ${ruleId} not found`);
      core.authorizer.reload();
      core.audit.record({
        type: AuditEvents.PolicyRuleUpdated,
        actorId: caller.id,
        ip: actorOf(ctx).ip,
        details: { before: policyRuleToJSON(before), after: policyRuleToJSON(updated) },
      });
      return policyRuleMessage(updated);
    },

    deletePolicyRule(req, ctx) {
      const caller = authorize(ctx, Actions.PolicyManage);
      const ruleId = id(req.id);
      const before = find(req.id);
      if (!core.stores.policyRules.delete(ruleId)) throw new NotFoundError(`policy rule ${ruleId} not found`);
      core.authorizer.reload();
      core.audit.record({
        type: AuditEvents.PolicyRuleDeleted,
        actorId: caller.id,
        ip: actorOf(ctx).ip,
        details: { rule: policyRuleToJSON(before) },
      });
      return {};
    },
  });
}
