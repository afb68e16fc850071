import { isAction } from './actions.js';
import { builtinRules } from './builtin-rules.js';
import type { PolicyDecision, PolicyRequest, PolicyRule } from './policy-rule.js';

const defaultDeny: PolicyDecision = Object.freeze({ effect: 'deny' });

/**
 * evaluatePolicy answers one request against the built-in rules plus the operator rules given.
 * It is pure (no I/O, no clock: the time is request.now) and never throws. `rules` holds ONLY
 * operator rules: the built-in rules are always added here, so no caller can forget them.
 *
 * Steps (spec 1.8):
 *   1. a request that is malformed (unknown action, invalid time) -> default deny, no rule
 *   2. keep the built-in rules and the operator rules that are enabled and inside their window
 *      (notBefore <= now < expiresAt, either bound optional)
 *   3. stable sort by priority ascending (on a tie: built-ins first, then operator rules in
 *      the order given)
 *   4. deny wins: the first matching deny rule decides
 *   5. otherwise the first matching allow rule decides
 *   6. otherwise default deny, no rule
 */
export function evaluatePolicy(rules: readonly PolicyRule[], request: PolicyRequest): PolicyDecision {
  const now = request.now instanceof Date ? request.now.getTime() : Number.NaN;
  if (!isAction(request.action) || !Number.isFinite(now)) return defaultDeny;

  const active = [...builtinRules, ...rules.filter((rule) => isActive(rule, now))].sort((a, b) => a.priority - b.priority);
  let firstAllow: PolicyRule | undefined;
  for (const rule of active) {
    if (!ruleMatches(rule, request)) continue;
    if (rule.effect === 'deny') return { effect: 'deny', rule };
    firstAllow ??= rule;
  }
  return firstAllow ? { effect: 'allow', rule: firstAllow } : defaultDeny;
}

// isActive: enabled and inside its window. An invalid bound (NaN) makes the comparison false,
// so a rule with a corrupt window is ignored rather than applied forever.
function isActive(rule: PolicyRule, now: number): boolean {
  if (!rule.enabled) return false;
  if (rule.notBefore !== undefined && !(rule.notBefore.getTime() <= now)) return false;
  if (rule.expiresAt !== undefined && !(rule.expiresAt.getTime() > now)) return false;
  return true;
}

/**
 * ruleMatches reports whether every populated field of the rule matches the request (an empty
 * list or string is a wildcard). Window and enabled flag are not checked here.
 */
export function ruleMatches(rule: PolicyRule, request: PolicyRequest): boolean {
  const { subject, resource } = request;
  if (rule.roles.length > 0 && !rule.roles.some((role) => subject.roles.includes(role))) return false;
  if (rule.accountTypes.length > 0 && !rule.accountTypes.includes(subject.accountType)) return false;
  if (rule.subjectUuid !== '' && rule.subjectUuid !== subject.uuid) return false;
  if (rule.actions.length > 0 && !rule.actions.includes(request.action)) return false;
  if (rule.resourceType !== '' && rule.resourceType !== resource?.type) return false;
  if (rule.ownerMatchesSubject) {
    // An empty uuid on either side never counts as "same owner".
    const owner = resource?.ownerUuid;
    if (owner === undefined || owner === '' || owner !== subject.uuid) return false;
  }
  if (rule.serviceNames.length > 0) {
    const service = resource?.serviceName;
    if (service === undefined || !rule.serviceNames.includes(service)) return false;
  }
  if (rule.requiredTags.length > 0) {
    const tags = resource?.tags ?? [];
    if (!rule.requiredTags.every((tag) => tags.includes(tag))) return false;
  }
  return true;
}
