import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Actions } from './actions.js';
import { evaluatePolicy } from './evaluate-policy.js';
import { parsePolicyRule } from './parse-policy-rule.js';
import type { PolicyRequest, PolicyRule, PolicySubject } from './policy-rule.js';

const now = new Date('2030-06-15T12:00:00Z');
const alice = '11111111-1111-4111-8111-111111111111';
const bob = '22222222-2222-4222-8222-222222222222';

let nextId = 1;
function rule(fields: Partial<PolicyRule>): PolicyRule {
  return {
    id: nextId++,
    description: '',
    effect: 'allow',
    priority: 100,
    roles: [],
    accountTypes: [],
    subjectUuid: '',
    actions: [],
    resourceType: '',
    ownerMatchesSubject: false,
    serviceNames: [],
    requiredTags: [],
    enabled: true,
    builtin: false,
    ...fields,
  };
}

function human(roles: string[], uuid = alice): PolicySubject {
  return { uuid, roles, accountType: 'human' };
}

function ask(subject: PolicySubject, action: string, resource?: PolicyRequest['resource']): PolicyRequest {
  return resource ? { subject, action, resource, now } : { subject, action, now };
}

describe('evaluatePolicy', () => {
  it('denies by default when nothing matches', () => {
    const decision = evaluatePolicy([], ask(human(['user']), Actions.AccountsList));
    assert.deepEqual(decision, { effect: 'deny' });
    assert.equal(decision.rule, undefined);
  });

  it('lets the admin wildcard (-1) allow every action', () => {
    for (const action of Object.values(Actions)) {
      const decision = evaluatePolicy([], ask(human(['admin']), action));
      assert.equal(decision.effect, 'allow', action);
      assert.ok(decision.rule?.builtin);
    }
    assert.equal(evaluatePolicy([], ask(human(['admin']), Actions.PolicyManage)).rule?.id, -1);
  });

  it('denies unknown actions even to admin', () => {
    assert.deepEqual(evaluatePolicy([], ask(human(['admin']), 'accounts:explode')), { effect: 'deny' });
    const everything = rule({ effect: 'allow' });
    assert.deepEqual(evaluatePolicy([everything], ask(human(['user']), 'nope')), { effect: 'deny' });
  });

  it('fails closed on an invalid clock', () => {
    const request = { ...ask(human(['admin']), Actions.AccountsList), now: new Date(Number.NaN) };
    assert.deepEqual(evaluatePolicy([], request), { effect: 'deny' });
  });

  it('reports the lowest-priority matching allow rule', () => {
    const late = rule({ priority: 50, actions: [Actions.AccountsList] });
    const early = rule({ priority: 10, actions: [Actions.AccountsList] });
    assert.equal(evaluatePolicy([late, early], ask(human(['user']), Actions.AccountsList)).rule, early);
    const first = rule({ priority: 10, actions: [Actions.AccountsList] });
    assert.equal(evaluatePolicy([first, early], ask(human(['user']), Actions.AccountsList)).rule, first, 'stable on ties');
  });

  it('reports the lowest-priority matching deny rule', () => {
    const d1 = rule({ effect: 'deny', priority: 30 });
    const d2 = rule({ effect: 'deny', priority: 20 });
    assert.equal(evaluatePolicy([d1, d2], ask(human(['user']), Actions.AccountsList)).rule, d2);
  });

  it('lets a deny win over an earlier allow, including the admin wildcard', () => {
    const allow = rule({ priority: 0, actions: [Actions.AuditRead] });
    const deny = rule({ effect: 'deny', priority: 900, actions: [Actions.AuditRead] });
    const decision = evaluatePolicy([allow, deny], ask(human(['user']), Actions.AuditRead));
    assert.deepEqual(decision, { effect: 'deny', rule: deny });
    assert.equal(evaluatePolicy([deny], ask(human(['admin']), Actions.AuditRead)).effect, 'deny');
  });

  it('matches roles any-of', () => {
    const allow = rule({ roles: ['editor', 'viewer'], actions: [Actions.AccountsRead] });
    assert.equal(evaluatePolicy([allow], ask(human(['user', 'viewer']), Actions.AccountsRead)).effect, 'allow');
    assert.equal(evaluatePolicy([allow], ask(human(['user']), Actions.AccountsRead)).effect, 'deny');
    assert.equal(evaluatePolicy([allow], ask(human([]), Actions.AccountsRead)).effect, 'deny');
  });

  it('matches account types', () => {
    const allow = rule({ accountTypes: ['system'], actions: [Actions.AccountsList] });
    const system: PolicySubject = { uuid: bob, roles: [], accountType: 'system' };
    assert.equal(evaluatePolicy([allow], ask(system, Actions.AccountsList)).effect, 'allow');
    assert.equal(evaluatePolicy([allow], ask(human([]), Actions.AccountsList)).effect, 'deny');
  });

  it('matches the subject uuid', () => {
    const allow = rule({ subjectUuid: bob, actions: [Actions.PGCredsRead] });
    assert.equal(evaluatePolicy([allow], ask(human([], bob), Actions.PGCredsRead)).effect, 'allow');
    assert.equal(evaluatePolicy([allow], ask(human([], alice), Actions.PGCredsRead)).effect, 'deny');
  });

  it('matches actions and resource type', () => {
    const allow = rule({ actions: [Actions.TagsRead, Actions.RolesRead], resourceType: 'account' });
    const subject = human(['user']);
    assert.equal(evaluatePolicy([allow], ask(subject, Actions.TagsRead, { type: 'account' })).effect, 'allow');
    assert.equal(evaluatePolicy([allow], ask(subject, Actions.RolesRead, { type: 'account' })).effect, 'allow');
    assert.equal(evaluatePolicy([allow], ask(subject, Actions.TagsWrite, { type: 'account' })).effect, 'deny');
    assert.equal(evaluatePolicy([allow], ask(subject, Actions.TagsRead, { type: 'policy' })).effect, 'deny');
    assert.equal(evaluatePolicy([allow], ask(subject, Actions.TagsRead)).effect, 'deny');
  });

  it('matches owner_matches_subject only when the resource owner is the subject', () => {
    const allow = rule({ ownerMatchesSubject: true, actions: [Actions.PGCredsRead] });
    const subject: PolicySubject = { uuid: bob, roles: [], accountType: 'system' };
    assert.equal(evaluatePolicy([allow], ask(subject, Actions.PGCredsRead, { ownerUuid: bob })).effect, 'allow');
    assert.equal(evaluatePolicy([allow], ask(subject, Actions.PGCredsRead, { ownerUuid: alice })).effect, 'deny');
    assert.equal(evaluatePolicy([allow], ask(subject, Actions.PGCredsRead)).effect, 'deny');
    const nobody: PolicySubject = { uuid: '', roles: [], accountType: 'system' };
    assert.equal(evaluatePolicy([allow], ask(nobody, Actions.PGCredsRead, { ownerUuid: '' })).effect, 'deny');
  });

  it('denies by service name', () => {
    const deny = rule({ effect: 'deny', actions: [Actions.AuthLogin], serviceNames: ['mcr', 'mcns'] });
    const subject = human(['user']);
    assert.deepEqual(evaluatePolicy([deny], ask(subject, Actions.AuthLogin, { serviceName: 'mcns' })), {
      effect: 'deny',
      rule: deny,
    });
    assert.equal(evaluatePolicy([deny], ask(subject, Actions.AuthLogin, { serviceName: 'mcat' })).effect, 'allow');
    assert.equal(evaluatePolicy([deny], ask(subject, Actions.AuthLogin)).effect, 'allow', 'no service context');
  });

  it('denies by tag only when the target carries all required tags', () => {
    const deny = rule({ effect: 'deny', actions: [Actions.AuthLogin], requiredTags: ['env:restricted', 'tier:core'] });
    const subject = human(['user']);
    const login = (tags: string[]) => evaluatePolicy([deny], ask(subject, Actions.AuthLogin, { tags })).effect;
    assert.equal(login(['tier:core', 'env:restricted', 'x']), 'deny');
    assert.equal(login(['env:restricted']), 'allow');
    assert.equal(login([]), 'allow');
  });

  it('ignores disabled rules', () => {
    const deny = rule({ effect: 'deny', enabled: false });
    const allow = rule({ actions: [Actions.AuditRead], enabled: false });
    assert.equal(evaluatePolicy([deny], ask(human(['admin']), Actions.AuditRead)).effect, 'allow');
    assert.equal(evaluatePolicy([allow], ask(human(['user']), Actions.AuditRead)).effect, 'deny');
  });

  it('ignores rules outside their not_before / expires_at window', () => {
    const at = (iso: string) => new Date(iso);
    const request = ask(human(['admin']), Actions.AuditRead);
    const decide = (fields: Partial<PolicyRule>) => evaluatePolicy([rule({ effect: 'deny', ...fields })], request).effect;
    assert.equal(decide({ notBefore: at('2030-06-15T12:00:01Z') }), 'allow', 'not yet active');
    assert.equal(decide({ notBefore: now }), 'deny', 'active from not_before inclusive');
    assert.equal(decide({ expiresAt: now }), 'allow', 'expired at expires_at exclusive');
    assert.equal(decide({ expiresAt: at('2030-06-15T12:00:00.001Z') }), 'deny', 'still active');
    assert.equal(decide({ notBefore: at('2030-01-01T00:00:00Z'), expiresAt: at('2031-01-01T00:00:00Z') }), 'deny');
    assert.equal(decide({ notBefore: at('2029-01-01T00:00:00Z'), expiresAt: at('2030-01-01T00:00:00Z') }), 'allow');
    assert.equal(decide({ notBefore: new Date(Number.NaN) }), 'allow', 'a corrupt window is ignored');
  });

  describe('the example rules of spec 1.7', () => {
    const restricted = {
      ...parsePolicyRule({
        effect: 'deny',
        roles: ['guest', 'viewer'],
        account_types: ['human'],
        actions: ['auth:login'],
        required_tags: ['env:restricted'],
      }),
      id: 1,
      builtin: false,
    };
    const printer = {
      ...parsePolicyRule({
        effect: 'deny',
        roles: ['guest'],
        actions: ['auth:login'],
        service_names: ['meta-money-printer'],
      }),
      id: 2,
      builtin: false,
    };
    const rules = [restricted, printer];
    const login = (subject: PolicySubject, serviceName: string, tags: string[]) =>
      evaluatePolicy(rules, ask(subject, Actions.AuthLogin, { serviceName, tags }));

    it('keeps human guests and viewers out of restricted services', () => {
      assert.deepEqual(login(human(['viewer']), 'mcat', ['env:restricted']), { effect: 'deny', rule: restricted });
      assert.deepEqual(login(human(['guest']), 'mcr', ['env:restricted', 'x']), { effect: 'deny', rule: restricted });
      assert.equal(login(human(['user']), 'mcat', ['env:restricted']).effect, 'allow');
      assert.equal(login(human(['viewer']), 'mcat', []).effect, 'allow');
      const system: PolicySubject = { uuid: bob, roles: ['viewer'], accountType: 'system' };
      assert.equal(login(system, 'mcat', ['env:restricted']).effect, 'allow', 'the rule is for humans only');
    });

    it('keeps guests out of meta-money-printer', () => {
      assert.deepEqual(login(human(['guest']), 'meta-money-printer', []), { effect: 'deny', rule: printer });
      assert.equal(login(human(['viewer']), 'meta-money-printer', []).effect, 'allow');
      assert.equal(login(human(['guest']), 'mcat', []).effect, 'allow');
    });

    it('also binds admins who hold a denied role (deny wins)', () => {
      assert.equal(login(human(['admin', 'guest']), 'meta-money-printer', []).effect, 'deny');
    });
  });
});
