// policy: Metacrypt's rule engine (spec §10): priority-ordered allow/deny rules over subjects,
// resource globs and actions, default deny, admin bypass; the rule store and its CRUD service.
export type { PolicyAction, PolicyConditions, PolicyDecision, PolicyEffect, PolicyRule, PolicySubject } from './policy-rule.js';
export { accountTypes, effects, isPolicyAction, policyActions } from './policy-rule.js';
export { evaluatePolicy } from './evaluate-policy.js';
export { parsePolicyRule } from './parse-policy-rule.js';
export type { PolicyRuleInput } from './parse-policy-rule.js';
export { PolicyRuleStore } from './policy-rule-store.js';
export { policyService, policyAccess } from './policy-service.js';
export { matchResourceGlob, resourceGlobProblem } from './resource-glob.js';
export { isWildcardSan, matchSanGlob, sanGlobProblem } from './san-glob.js';
