import { registerService, type AccessTable, type ServiceRegistration } from '@metacircular/mcdsl';
import { PolicyService } from '@metacircular/proto/metacrypt/v1/policy_pb';
import { policyRuleMessage, ruleInputOf } from './policy-rule-message.js';
import type { PolicyRuleStore } from './policy-rule-store.js';

/**
 * policyService serves rule CRUD (spec §11.2: GET/POST /v1/policy/rules, GET/PUT/DELETE
 * /v1/policy/rules/{id}). Who may call it is the access table's business (admin only);
 * `rules()` is the core's accessor for the live store and throws SealedError while sealed.
 * The core audits every call; rule changes take effect on the next authorize().
 */
export function policyService(rules: () => PolicyRuleStore): ServiceRegistration {
  return registerService(PolicyService, {
    listRules() {
      return { rules: rules().list().map(policyRuleMessage) };
    },
    getRule(req) {
      return policyRuleMessage(rules().get(req.id));
    },
    createRule(req) {
      return policyRuleMessage(rules().create(ruleInputOf(req.rule)));
    },
    updateRule(req) {
      return policyRuleMessage(rules().update(req.id, ruleInputOf(req.rule)));
    },
    deleteRule(req) {
      rules().delete(req.id);
      return {};
    },
  });
}

/** policyAccess: policy CRUD is admin only and needs an unsealed barrier (spec §11.3). */
export const policyAccess: AccessTable = {
  '/metacrypt.v1.PolicyService/ListRules': { level: 'admin', unsealed: true },
  '/metacrypt.v1.PolicyService/GetRule': { level: 'admin', unsealed: true },
  '/metacrypt.v1.PolicyService/CreateRule': { level: 'admin', unsealed: true },
  '/metacrypt.v1.PolicyService/UpdateRule': { level: 'admin', unsealed: true },
  '/metacrypt.v1.PolicyService/DeleteRule': { level: 'admin', unsealed: true },
};
