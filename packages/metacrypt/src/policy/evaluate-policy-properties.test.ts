import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { PolicyRequest } from '../engine/index.js';
import { evaluatePolicy } from './evaluate-policy.js';
import type { PolicyRule, PolicySubject } from './policy-rule.js';

// Small vocabularies so that generated rules and requests match each other often.
const users = ['alice', 'bob', 'mcp-agent'];
const roles = ['admin', 'user', 'guest'];
const actions = ['read', 'issue', 'encrypt', '*'];
const resources = ['ca/pki/issuer/infra', 'transit/t/keys/k', 'user/u'];
const globs = [...resources, 'ca/**', '*/*/keys/*', '**', 'user/*'];
const sans = ['a.svc.test', 'b.svc.test', 'svc.test', '*.svc.test', 'x.other.test'];
const sanGlobs = ['*.svc.test', 'svc.test', '*.other.test', '*.*.test'];

const someOf = <T>(values: readonly T[], minLength = 0) => fc.subarray([...values], { minLength, maxLength: 2 });

const conditions = fc.option(
  fc.record(
    {
      allowed_sans: someOf(sanGlobs),
      denied_sans: someOf(sanGlobs),
      max_ttl: fc.constantFrom('1h', '24h'),
      allow_wildcard_sans: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const ruleArb = fc.record({
  priority: fc.integer({ min: -5, max: 5 }),
  effect: fc.constantFrom('allow' as const, 'deny' as const),
  usernames: someOf(users),
  roles: someOf(roles),
  account_types: someOf(['human', 'system']),
  resources: someOf(globs, 1),
  actions: someOf(actions, 1),
  conditions,
});

const rulesArb = fc.array(ruleArb, { maxLength: 10 }).map((list) =>
  list.map((fields, i): PolicyRule => {
    const { conditions: c, ...rest } = fields;
    const r: PolicyRule = {
      ...rest,
      id: `r${i}`,
      name: `r${i}`,
      created_at: `2030-01-01T00:00:${String(i).padStart(2, '0')}Z`,
      updated_at: '',
    };
    // Deny rules may carry only denied_sans (parsePolicyRule refuses the rest).
    if (c !== undefined) r.conditions = fields.effect === 'deny' ? { denied_sans: c.denied_sans ?? [] } : c;
    return r;
  }),
);

const subjectArb: fc.Arbitrary<PolicySubject> = fc.record({
  username: fc.constantFrom(...users),
  roles: someOf(roles),
  accountType: fc.constantFrom('human', 'system'),
  isAdmin: fc.constant(false),
});

const requestArb: fc.Arbitrary<PolicyRequest | undefined> = fc.option(
  fc.record({
    sans: fc.option(someOf(sans, 1), { nil: undefined }),
    ttlMs: fc.option(fc.constantFrom(60_000, 7_200_000), { nil: undefined }),
  }),
  { nil: undefined },
);

const actionArb = fc.constantFrom('read', 'issue', 'encrypt', 'decrypt');
const resourceArb = fc.constantFrom(...resources);

describe('evaluatePolicy properties', () => {
  it('an admin is always allowed, whatever the rules', () => {
    fc.assert(
      fc.property(rulesArb, subjectArb, actionArb, resourceArb, requestArb, (rules, subject, action, resource, request) => {
        const d = evaluatePolicy(rules, { ...subject, isAdmin: true }, action, resource, request);
        assert.deepEqual(d, { allowed: true, reason: 'admin' });
      }),
    );
  });

  it('no rules means deny for every non-admin', () => {
    fc.assert(
      fc.property(subjectArb, actionArb, resourceArb, requestArb, (subject, action, resource, request) => {
        const d = evaluatePolicy([], subject, action, resource, request);
        assert.equal(d.allowed, false);
        assert.equal(d.ruleId, undefined);
        assert.ok(d.reason.includes(action) && d.reason.includes(resource));
      }),
    );
  });

  it('an unconditional matching deny above every other rule wins', () => {
    fc.assert(
      fc.property(rulesArb, subjectArb, actionArb, resourceArb, requestArb, (rules, subject, action, resource, request) => {
        const top = Math.max(0, ...rules.map((r) => r.priority)) + 1;
        const deny: PolicyRule = {
          id: 'deny',
          name: 'deny',
          priority: top,
          effect: 'deny',
          usernames: [subject.username],
          roles: [],
          account_types: [],
          resources: [resource],
          actions: [action],
          created_at: '2031-01-01T00:00:00Z',
          updated_at: '',
        };
        const d = evaluatePolicy([...rules, deny], subject, action, resource, request);
        assert.deepEqual([d.allowed, d.ruleId], [false, 'deny']);
      }),
    );
  });

  it('the decision does not depend on the order rules are given in', () => {
    fc.assert(
      fc.property(
        rulesArb,
        subjectArb,
        actionArb,
        resourceArb,
        requestArb,
        fc.nat(),
        (rules, subject, action, resource, request, seed) => {
          const shuffled = [...rules].sort(
            (a, b) => ((a.id.charCodeAt(1) * 31 + seed) % 7) - ((b.id.charCodeAt(1) * 31 + seed) % 7),
          );
          assert.deepEqual(
            evaluatePolicy(shuffled, subject, action, resource, request),
            evaluatePolicy(rules, subject, action, resource, request),
          );
        },
      ),
    );
  });

  it('an allow decision names an allow rule that matches the subject, action and resource', () => {
    fc.assert(
      fc.property(rulesArb, subjectArb, actionArb, resourceArb, requestArb, (rules, subject, action, resource, request) => {
        const d = evaluatePolicy(rules, subject, action, resource, request);
        if (!d.allowed) return;
        const r = rules.find((x) => x.id === d.ruleId);
        assert.ok(r && r.effect === 'allow');
        assert.ok(r.usernames.length === 0 || r.usernames.includes(subject.username));
        assert.ok(r.actions.includes('*') || r.actions.includes(action));
        for (const san of request?.sans ?? []) {
          if (san.includes('*')) assert.equal(r.conditions?.allow_wildcard_sans, true);
        }
      }),
    );
  });
});
