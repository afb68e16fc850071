// The ABAC policy engine: pure functions over rules and requests; never touches the store.
// evaluatePolicy always adds builtinRules itself: pass it only the operator rules.
export { Actions, allActions, isAction } from './actions.js';
export type { Action } from './actions.js';
export { accountTypes, effects } from './policy-rule.js';
export type {
  AccountType,
  Effect,
  PolicyDecision,
  PolicyRequest,
  PolicyResource,
  PolicyRule,
  PolicySubject,
} from './policy-rule.js';
export { builtinRules } from './builtin-rules.js';
export { evaluatePolicy } from './evaluate-policy.js';
export { defaultPriority, parsePolicyRule, parsePolicyRulePatch } from './parse-policy-rule.js';
export type { ParsedPolicyRule } from './parse-policy-rule.js';
export { policyRuleFields, policyRuleToJSON } from './policy-rule-json.js';
export type { PolicyRuleJSON } from './policy-rule-json.js';
