import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allActions } from './actions.js';
import { evaluatePolicy } from './evaluate-policy.js';
import type { PolicyDecision, PolicyRequest, PolicyRule } from './policy-rule.js';

// Small vocabularies so that generated rules and requests actually match each other often.
const uuids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
const roles = ['admin', 'user', 'guest', 'viewer'];
const tags = ['env:restricted', 'tier:core', 'x'];
const services = ['mcr', 'mcns', 'meta-money-printer'];
const now = new Date('2030-06-15T12:00:00Z');
const hour = 3_600_000;

const someOf = <T>(values: readonly T[]) => fc.subarray([...values], { maxLength: 2 });

const ruleFields = fc.record({
  effect: fc.constantFrom('allow' as const, 'deny' as const),
  roles: someOf(roles),
  accountTypes: someOf(['human', 'system'] as const),
  subjectUuid: fc.constantFrom('', ...uuids),
  actions: someOf(allActions.slice(0, 6)),
  resourceType: fc.constantFrom('', 'account', 'token'),
  ownerMatchesSubject: fc.boolean(),
  serviceNames: someOf(services),
  requiredTags: someOf(tags),
  enabled: fc.boolean(),
  notBefore: fc.option(
    fc.integer({ min: -2, max: 2 }).map((h) => new Date(now.getTime() + h * hour)),
    { nil: undefined },
  ),
  expiresAt: fc.option(
    fc.integer({ min: -2, max: 2 }).map((h) => new Date(now.getTime() + h * hour)),
    { nil: undefined },
  ),
});

// Operator rule sets with distinct, non-negative priorities.
const ruleSet = fc
  .uniqueArray(fc.integer({ min: 0, max: 10_000 }), { maxLength: 12 })
  .chain((priorities) =>
    fc.tuple(...priorities.map(() => ruleFields)).map((fields) => fields.map((f, i) => toRule(f, i, priorities[i]!))),
  );

type RuleFields = typeof ruleFields extends fc.Arbitrary<infer T> ? T : never;

function toRule(fields: RuleFields, i: number, priority: number): PolicyRule {
  const { notBefore, expiresAt, ...rest } = fields;
  const rule: PolicyRule = { ...rest, id: i + 1, priority, description: '', builtin: false };
  if (notBefore !== undefined) rule.notBefore = notBefore;
  if (expiresAt !== undefined) rule.expiresAt = expiresAt;
  return rule;
}

const request: fc.Arbitrary<PolicyRequest> = fc.record({
  subject: fc.record({
    uuid: fc.constantFrom(...uuids),
    roles: someOf(roles),
    accountType: fc.constantFrom('human' as const, 'system' as const),
  }),
  action: fc.constantFrom(...allActions.slice(0, 6), ...allActions),
  resource: fc.record(
    {
      type: fc.constantFrom('account', 'token'),
      ownerUuid: fc.constantFrom(...uuids),
      serviceName: fc.constantFrom(...services),
      tags: someOf(tags),
    },
    { requiredKeys: [] },
  ),
  now: fc.constant(now),
});

const disabledCatchAll: PolicyRule = {
  id: 1,
  description: 'deny everything, but disabled',
  effect: 'deny',
  priority: 0,
  roles: [],
  accountTypes: [],
  subjectUuid: '',
  actions: [],
  resourceType: '',
  ownerMatchesSubject: false,
  serviceNames: [],
  requiredTags: [],
  enabled: false,
  builtin: false,
};

const summary = (d: PolicyDecision) => ({ effect: d.effect, id: d.rule?.id });

describe('evaluatePolicy properties', () => {
  it('is deterministic and independent of the order rules are given in', () => {
    fc.assert(
      fc.property(
        ruleSet.chain((rules) => fc.tuple(fc.constant(rules), fc.shuffledSubarray(rules, { minLength: rules.length }))),
        request,
        ([rules, shuffled], req) => {
          const first = evaluatePolicy(rules, req);
          assert.deepEqual(evaluatePolicy(rules, req), first);
          assert.deepEqual(summary(evaluatePolicy(shuffled, req)), summary(first));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never turns a deny into an allow when a deny rule is added', () => {
    fc.assert(
      fc.property(ruleSet, ruleFields, fc.integer({ min: 0, max: 20_000 }), request, (rules, fields, priority, req) => {
        const deny = toRule({ ...fields, effect: 'deny' }, 999, priority);
        const before = evaluatePolicy(rules, req).effect;
        const after = evaluatePolicy([...rules, deny], req).effect;
        if (before === 'deny') assert.equal(after, 'deny');
      }),
      { numRuns: 1000 },
    );
  });

  it('never turns an allow into a deny when an allow rule is added', () => {
    fc.assert(
      fc.property(ruleSet, ruleFields, fc.integer({ min: 0, max: 20_000 }), request, (rules, fields, priority, req) => {
        const allow = toRule({ ...fields, effect: 'allow' }, 999, priority);
        if (evaluatePolicy(rules, req).effect === 'allow') assert.equal(evaluatePolicy([...rules, allow], req).effect, 'allow');
      }),
      { numRuns: 500 },
    );
  });

  it('gives the built-in answer for an empty operator rule set', () => {
    fc.assert(
      fc.property(request, (req) => {
        const decision = evaluatePolicy([], req);
        if (decision.effect === 'allow') assert.ok(decision.rule?.builtin);
        else assert.equal(decision.rule, undefined, 'built-ins only allow; a deny is the default deny');
        assert.deepEqual(evaluatePolicy([disabledCatchAll], req), decision, 'a disabled catch-all deny changes nothing');
        if (req.subject.roles.includes('admin')) assert.equal(decision.effect, 'allow');
      }),
      { numRuns: 1000 },
    );
  });
});
