import { parseDuration } from '@metacircular/mcdsl';
import type { PolicyRequest } from '../engine/index.js';
import type { PolicyDecision, PolicyRule, PolicySubject } from './policy-rule.js';
import { matchResourceGlob } from './resource-glob.js';
import { isWildcardSan, matchSanGlob } from './san-glob.js';

/**
 * evaluatePolicy decides one request, following spec §10.2 step by step:
 *   1. (unauthenticated callers never get here: the access table answers 401)
 *   2. an admin is allowed without looking at any rule (reason "admin")
 *   3. keep the rules whose subject fields all match (empty = any), with some resource glob
 *      matching `resource` and some action matching `action` ('*' = all)
 *   4. sort by priority, highest first; at equal priority deny before allow (then oldest first,
 *      so the order never depends on storage order)
 *   5. the first rule whose conditions hold decides: an allow rule whose conditions fail is
 *      skipped; a deny rule applies unless it has denied_sans and no requested SAN matches them
 *   6. nothing decided: deny, saying which action on which resource had no rule
 * SAN and TTL conditions look only at what the engine passes: an operation without SANs
 * (request.sans undefined) is not constrained by SAN conditions, likewise for ttlMs.
 */
export function evaluatePolicy(
  rules: readonly PolicyRule[],
  subject: PolicySubject,
  action: string,
  resource: string,
  request?: PolicyRequest,
): PolicyDecision {
  if (subject.isAdmin) return { allowed: true, reason: 'admin' };

  const candidates = rules
    .filter(
      (rule) =>
        subjectMatches(rule, subject) &&
        rule.actions.some((a) => a === '*' || a === action) &&
        rule.resources.some((glob) => matchResourceGlob(glob, resource)),
    )
    .sort(byEvaluationOrder);

  const skipped: string[] = [];
  for (const rule of candidates) {
    if (rule.effect === 'deny') {
      const hit = denyHit(rule, request);
      if (hit === undefined) continue;
      return { allowed: false, ruleId: rule.id, reason: `denied by policy rule "${rule.name}"${hit}` };
    }
    const problem = allowProblem(rule, request);
    if (problem === undefined) return { allowed: true, ruleId: rule.id, reason: `allowed by policy rule "${rule.name}"` };
    skipped.push(`rule "${rule.name}" skipped: ${problem}`);
  }
  const who = `${subject.accountType || 'unknown'} account "${subject.username}"`;
  const why = skipped.length > 0 ? ` (${skipped.join('; ')})` : '';
  return { allowed: false, reason: `no policy rule allows action "${action}" on "${resource}" for ${who}${why}` };
}

function subjectMatches(rule: PolicyRule, subject: PolicySubject): boolean {
  return (
    (rule.usernames.length === 0 || rule.usernames.includes(subject.username)) &&
    (rule.roles.length === 0 || rule.roles.some((role) => subject.roles.includes(role))) &&
    (rule.account_types.length === 0 || rule.account_types.includes(subject.accountType))
  );
}

/** byEvaluationOrder: priority desc, deny before allow, then created_at and id ascending. */
export function byEvaluationOrder(a: PolicyRule, b: PolicyRule): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.effect !== b.effect) return a.effect === 'deny' ? -1 : 1;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// denyHit returns undefined when the deny rule does not apply, else a detail for the reason.
function denyHit(rule: PolicyRule, request: PolicyRequest | undefined): string | undefined {
  const denied = rule.conditions?.denied_sans ?? [];
  if (denied.length === 0) return '';
  for (const san of request?.sans ?? []) {
    const glob = denied.find((g) => matchSanGlob(g, san));
    if (glob !== undefined) return `: san "${san}" matches denied_sans "${glob}"`;
  }
  return undefined;
}

// allowProblem returns why an allow rule's conditions fail for this request, or undefined.
function allowProblem(rule: PolicyRule, request: PolicyRequest | undefined): string | undefined {
  const c = rule.conditions;
  if (request?.sans !== undefined) {
    const allowed = c?.allowed_sans ?? [];
    const denied = c?.denied_sans ?? [];
    for (const san of request.sans) {
      if (isWildcardSan(san) && c?.allow_wildcard_sans !== true) return `wildcard san "${san}" is not allowed`;
      const deniedBy = denied.find((g) => matchSanGlob(g, san));
      if (deniedBy !== undefined) return `san "${san}" matches denied_sans "${deniedBy}"`;
      if (allowed.length > 0 && !allowed.some((g) => matchSanGlob(g, san)))
        return `san "${san}" matches none of allowed_sans ${allowed.map((g) => `"${g}"`).join(', ')}`;
    }
  }
  if (request?.ttlMs !== undefined && c?.max_ttl !== undefined && c.max_ttl !== '') {
    let max: number;
    try {
      max = parseDuration(c.max_ttl);
    } catch {
      return `max_ttl "${c.max_ttl}" is not a duration`; // fail closed on a corrupt rule
    }
    if (request.ttlMs > max) return `requested ttl exceeds max_ttl ${c.max_ttl}`;
  }
  return undefined;
}
