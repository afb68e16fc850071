import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePolicy } from './evaluate-policy.js';
import type { PolicyRule, PolicySubject } from './policy-rule.js';

let counter = 0;
/** rule builds a stored rule with defaults: any subject, every resource and action, priority 0. */
function rule(fields: Partial<PolicyRule>): PolicyRule {
  counter += 1;
  return {
    id: `rule-${counter}`,
    name: `rule ${counter}`,
    priority: 0,
    effect: 'allow',
    usernames: [],
    roles: [],
    account_types: [],
    resources: ['**'],
    actions: ['*'],
    created_at: '2030-01-01T00:00:00.000Z',
    updated_at: '2030-01-01T00:00:00.000Z',
    ...fields,
  };
}

const system = (username: string): PolicySubject => ({ username, roles: [], accountType: 'system', isAdmin: false });
const alice: PolicySubject = { username: 'alice', roles: ['user'], accountType: 'human', isAdmin: false };
const root: PolicySubject = { username: 'root', roles: ['admin'], accountType: 'human', isAdmin: true };

describe('evaluatePolicy', () => {
  it('lets an admin through without rules, even against a deny', () => {
    const d = evaluatePolicy([rule({ effect: 'deny', priority: 1000 })], root, 'issue', 'ca/pki/issuer/infra');
    assert.deepEqual(d, { allowed: true, reason: 'admin' });
  });

  it('denies by default and says which action on which resource had no rule', () => {
    const d = evaluatePolicy([], alice, 'encrypt', 'transit/t/keys/app');
    assert.equal(d.allowed, false);
    assert.equal(d.ruleId, undefined);
    assert.match(d.reason, /no policy rule allows action "encrypt" on "transit\/t\/keys\/app"/);
  });

  it('matches subjects any-of per field, all fields together, empty = any', () => {
    const r = rule({ usernames: ['alice', 'bob'], roles: ['user', 'ops'], account_types: ['human'] });
    assert.equal(evaluatePolicy([r], alice, 'read', 'x').allowed, true);
    assert.equal(evaluatePolicy([r], { ...alice, username: 'carol' }, 'read', 'x').allowed, false);
    assert.equal(evaluatePolicy([r], { ...alice, roles: ['guest'] }, 'read', 'x').allowed, false);
    assert.equal(evaluatePolicy([r], { ...alice, accountType: 'system' }, 'read', 'x').allowed, false);
    assert.equal(evaluatePolicy([rule({})], system('anyone'), 'read', 'x').allowed, true);
  });

  it('matches actions any-of, with "*" for all, and resources by glob', () => {
    const r = rule({ actions: ['encrypt', 'decrypt'], resources: ['transit/*/keys/app'] });
    assert.equal(evaluatePolicy([r], alice, 'decrypt', 'transit/t/keys/app').allowed, true);
    assert.equal(evaluatePolicy([r], alice, 'sign', 'transit/t/keys/app').allowed, false);
    assert.equal(evaluatePolicy([r], alice, 'decrypt', 'transit/t/keys/other').allowed, false);
    const star = rule({ actions: ['*'], resources: ['transit/t/**'] });
    assert.equal(evaluatePolicy([star], alice, 'hmac', 'transit/t/keys/x').allowed, true);
  });

  it('runs higher priority first and deny before allow at equal priority', () => {
    const allow = rule({ priority: 10 });
    const deny = rule({ priority: 10, effect: 'deny' });
    assert.equal(evaluatePolicy([allow, deny], alice, 'read', 'x').ruleId, deny.id);
    const higherAllow = rule({ priority: 11 });
    assert.equal(evaluatePolicy([deny, higherAllow], alice, 'read', 'x').ruleId, higherAllow.id);
  });

  it('skips an allow whose conditions fail and lets a lower rule decide', () => {
    const narrow = rule({ priority: 10, conditions: { allowed_sans: ['*.a.test'] } });
    const broad = rule({ priority: 1, conditions: { allowed_sans: ['*.b.test'] } });
    const d = evaluatePolicy([narrow, broad], alice, 'issue', 'ca/pki/issuer/x', { sans: ['w.b.test'] });
    assert.equal(d.ruleId, broad.id);
    const none = evaluatePolicy([narrow, broad], alice, 'issue', 'ca/pki/issuer/x', { sans: ['w.c.test'] });
    assert.equal(none.allowed, false);
    assert.match(none.reason, /"w\.c\.test" matches none of allowed_sans "\*\.a\.test"/);
  });

  it('requires every SAN to match the deciding allow rule', () => {
    const r = rule({ conditions: { allowed_sans: ['*.a.test'] } });
    assert.equal(evaluatePolicy([r], alice, 'issue', 'x', { sans: ['one.a.test', 'two.a.test'] }).allowed, true);
    assert.equal(evaluatePolicy([r], alice, 'issue', 'x', { sans: ['one.a.test', 'a.test'] }).allowed, false);
  });

  it('refuses wildcard SANs unless allow_wildcard_sans, even without allowed_sans', () => {
    const plain = rule({});
    assert.match(evaluatePolicy([plain], alice, 'issue', 'x', { sans: ['*.a.test'] }).reason, /wildcard san "\*\.a\.test"/);
    const wild = rule({ conditions: { allow_wildcard_sans: true, allowed_sans: ['*.a.test'] } });
    assert.equal(evaluatePolicy([wild], alice, 'issue', 'x', { sans: ['*.a.test'] }).allowed, true);
  });

  it('an allow rule refuses its own denied_sans', () => {
    const r = rule({ conditions: { allowed_sans: ['*.example.test', '*.*.example.test'], denied_sans: ['*.svc.example.test'] } });
    assert.equal(evaluatePolicy([r], alice, 'issue', 'x', { sans: ['www.example.test'] }).allowed, true);
    assert.equal(evaluatePolicy([r], alice, 'issue', 'x', { sans: ['a.svc.example.test'] }).allowed, false);
  });

  it('a deny with denied_sans applies only when some SAN matches', () => {
    const deny = rule({ priority: 10, effect: 'deny', conditions: { denied_sans: ['*.internal.test'] } });
    const allow = rule({ priority: 1 });
    assert.equal(evaluatePolicy([deny, allow], alice, 'issue', 'x', { sans: ['a.public.test'] }).ruleId, allow.id);
    const d = evaluatePolicy([deny, allow], alice, 'issue', 'x', { sans: ['a.public.test', 'b.internal.test'] });
    assert.equal(d.ruleId, deny.id);
    assert.match(d.reason, /san "b\.internal\.test" matches denied_sans/);
    // An operation without SANs (a read) is not the SAN deny's business.
    assert.equal(evaluatePolicy([deny, allow], alice, 'read', 'x').ruleId, allow.id);
  });

  it('a deny without conditions always applies', () => {
    const deny = rule({ priority: 5, effect: 'deny', usernames: ['alice'] });
    assert.equal(evaluatePolicy([deny, rule({})], alice, 'read', 'x').allowed, false);
  });

  it('caps the requested ttl with max_ttl', () => {
    const r = rule({ conditions: { max_ttl: '2160h' } });
    const day = 86_400_000;
    assert.equal(evaluatePolicy([r], alice, 'issue', 'x', { ttlMs: 90 * day }).allowed, true);
    assert.match(evaluatePolicy([r], alice, 'issue', 'x', { ttlMs: 91 * day }).reason, /exceeds max_ttl 2160h/);
    assert.equal(evaluatePolicy([r], alice, 'read', 'x').allowed, true);
  });

  it('fails closed on a stored max_ttl that does not parse', () => {
    const r = rule({ conditions: { max_ttl: 'forever' } });
    assert.equal(evaluatePolicy([r], alice, 'issue', 'x', { ttlMs: 1 }).allowed, false);
  });

  it('breaks full ties by creation time, so storage order never matters', () => {
    const older = rule({ effect: 'allow', created_at: '2030-01-01T00:00:00.000Z' });
    const newer = rule({ effect: 'allow', created_at: '2030-02-01T00:00:00.000Z' });
    assert.equal(evaluatePolicy([newer, older], alice, 'read', 'x').ruleId, older.id);
    assert.equal(evaluatePolicy([older, newer], alice, 'read', 'x').ruleId, older.id);
  });
});

describe('worked examples of spec §10', () => {
  // The rule `mc up` installs for the platform agent.
  const mcpAgent = rule({
    name: 'mcp-agent internal certs',
    priority: 100,
    usernames: ['mcp-agent'],
    account_types: ['system'],
    resources: ['ca/pki/issuer/infra'],
    actions: ['issue', 'renew'],
    conditions: { allowed_sans: ['*.svc.mcp.example.test'], max_ttl: '2160h' },
  });
  const agent = system('mcp-agent');
  const issue = (sans: string[], subject = agent, rules = [mcpAgent]) =>
    evaluatePolicy(rules, subject, 'issue', 'ca/pki/issuer/infra', { sans, ttlMs: 90 * 86_400_000 });

  it('mcp-agent may issue for *.svc.mcp.example.test', () => {
    const d = issue(['mcns.svc.mcp.example.test']);
    assert.deepEqual(d, { allowed: true, ruleId: mcpAgent.id, reason: 'allowed by policy rule "mcp-agent internal certs"' });
    assert.equal(issue(['a.svc.mcp.example.test', 'b.svc.mcp.example.test']).allowed, true);
  });

  it('mcp-agent may not issue for example.test, deeper names or wildcards', () => {
    assert.equal(issue(['example.test']).allowed, false);
    assert.equal(issue(['a.b.svc.mcp.example.test']).allowed, false);
    assert.equal(issue(['*.svc.mcp.example.test']).allowed, false);
    assert.equal(issue(['*.example.test']).allowed, false);
  });

  it('the rule covers only its issuer, actions and account', () => {
    assert.equal(
      evaluatePolicy([mcpAgent], agent, 'issue', 'ca/pki/issuer/services', { sans: ['a.svc.mcp.example.test'] }).allowed,
      false,
    );
    assert.equal(evaluatePolicy([mcpAgent], agent, 'revoke', 'ca/pki/issuer/infra').allowed, false);
    assert.equal(issue(['a.svc.mcp.example.test'], { ...agent, accountType: 'human' }).allowed, false);
    assert.equal(issue(['a.svc.mcp.example.test'], system('mallory')).allowed, false);
  });

  it('agent-svc issues public names; a higher-priority deny keeps .svc.mcp. names out', () => {
    const allowPublic = rule({
      name: 'agent-svc public certs',
      priority: 100,
      usernames: ['agent-svc'],
      resources: ['ca/pki/issuer/infra'],
      actions: ['issue', 'renew'],
      conditions: { allowed_sans: ['*.metacircular.net', '*.wntrmute.net'] },
    });
    const denyInternal = rule({
      name: 'agent-svc no internal names',
      priority: 200,
      effect: 'deny',
      usernames: ['agent-svc'],
      resources: ['ca/pki/**'],
      actions: ['*'],
      conditions: { denied_sans: ['*.svc.mcp.metacircular.net', '*.*.svc.mcp.metacircular.net'] },
    });
    const rules = [allowPublic, denyInternal];
    const svc = system('agent-svc');
    assert.equal(issue(['www.metacircular.net'], svc, rules).ruleId, allowPublic.id);
    assert.equal(issue(['git.wntrmute.net', 'www.metacircular.net'], svc, rules).allowed, true);
    const internal = issue(['metacrypt.svc.mcp.metacircular.net'], svc, rules);
    assert.equal(internal.allowed, false);
    assert.equal(internal.ruleId, denyInternal.id);
    // One internal name among public ones is enough for the deny.
    assert.equal(issue(['www.metacircular.net', 'mcr.svc.mcp.metacircular.net'], svc, rules).ruleId, denyInternal.id);
    // And the worker agent cannot issue public names.
    const worker = rule({ ...mcpAgent, usernames: ['agent-rift'], conditions: { allowed_sans: ['*.svc.mcp.metacircular.net'] } });
    assert.equal(issue(['www.metacircular.net'], system('agent-rift'), [worker]).allowed, false);
    assert.equal(issue(['mcr.svc.mcp.metacircular.net'], system('agent-rift'), [worker]).allowed, true);
  });
});
