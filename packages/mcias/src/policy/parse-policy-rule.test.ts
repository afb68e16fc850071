import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError } from '@metacircular/mcdsl';
import fc from 'fast-check';
import { builtinRules } from './builtin-rules.js';
import { parsePolicyRule, parsePolicyRulePatch } from './parse-policy-rule.js';
import type { PolicyRule } from './policy-rule.js';
import { policyRuleToJSON } from './policy-rule-json.js';

function refused(input: unknown, pattern: RegExp): void {
  assert.throws(
    () => parsePolicyRule(input),
    (err: unknown) => {
      assert.ok(err instanceof InvalidRequestError, `expected InvalidRequestError, got ${String(err)}`);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

describe('parsePolicyRule', () => {
  it('fills defaults for a minimal rule', () => {
    assert.deepEqual(parsePolicyRule({ effect: 'allow' }), {
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
    });
  });

  it('reads every field in snake_case and camelCase', () => {
    const snake = {
      description: 'system accounts may list accounts',
      effect: 'allow',
      priority: 7,
      roles: ['viewer'],
      account_types: ['system'],
      subject_uuid: 'AAAAAAAA-1111-4111-8111-111111111111',
      actions: ['accounts:list', 'accounts:read'],
      resource_type: 'account',
      owner_matches_subject: true,
      service_names: ['mcr'],
      required_tags: ['env:prod'],
      enabled: false,
      not_before: '2030-01-01T00:00:00Z',
      expires_at: '2030-01-01T02:00:00+01:00',
    };
    const parsed = parsePolicyRule(snake);
    assert.equal(parsed.subjectUuid, 'aaaaaaaa-1111-4111-8111-111111111111');
    assert.deepEqual(parsed.notBefore, new Date('2030-01-01T00:00:00Z'));
    assert.deepEqual(parsed.expiresAt, new Date('2030-01-01T01:00:00Z'));
    assert.deepEqual(parsed.accountTypes, ['system']);
    assert.equal(parsed.ownerMatchesSubject, true);
    assert.equal(parsed.enabled, false);
    const camel = {
      description: snake.description,
      effect: snake.effect,
      priority: snake.priority,
      roles: snake.roles,
      accountTypes: snake.account_types,
      subjectUuid: snake.subject_uuid,
      actions: snake.actions,
      resourceType: snake.resource_type,
      ownerMatchesSubject: snake.owner_matches_subject,
      serviceNames: snake.service_names,
      requiredTags: snake.required_tags,
      enabled: snake.enabled,
      notBefore: snake.not_before,
      expiresAt: snake.expires_at,
    };
    assert.deepEqual(parsePolicyRule(camel), parsed);
  });

  it('round-trips through policyRuleToJSON', () => {
    const parsed = parsePolicyRule({ effect: 'deny', roles: ['guest'], not_before: '2030-01-01T00:00:00Z' });
    const rule: PolicyRule = { ...parsed, id: 5, builtin: false };
    const { id: _id, builtin: _builtin, ...json } = policyRuleToJSON(rule);
    assert.deepEqual(parsePolicyRule(json), parsed);
  });

  it('treats null windows as absent', () => {
    const parsed = parsePolicyRule({ effect: 'deny', not_before: null, expires_at: null });
    assert.ok(!('notBefore' in parsed) && !('expiresAt' in parsed));
  });

  it('refuses bad input naming the field', () => {
    refused(null, /must be a JSON object/);
    refused([], /must be a JSON object/);
    refused('allow', /must be a JSON object/);
    refused({}, /effect: is required/);
    refused({ effect: 'permit' }, /effect: must be "allow" or "deny"/);
    refused({ effect: 'allow', actions: ['accounts:list', 'accounts:nuke'] }, /actions\[1\]: is not a known action/);
    refused({ effect: 'allow', account_types: ['robot'] }, /account_types\[0\]: must be "human" or "system"/);
    refused({ effect: 'allow', accountTypes: ['robot'] }, /accountTypes\[0\]/);
    refused({ effect: 'allow', roles: 'admin' }, /roles: must be a list/);
    refused({ effect: 'allow', roles: ['a b'] }, /roles\[0\]: must be a role of 1-128 visible ASCII/);
    refused({ effect: 'allow', required_tags: [''] }, /required_tags\[0\]/);
    refused({ effect: 'allow', priority: -1 }, /priority: must be >= 0/);
    refused({ effect: 'allow', priority: 1.5 }, /priority: must be an integer/);
    refused({ effect: 'allow', subject_uuid: 'bob' }, /subject_uuid: must be an account UUID/);
    refused({ effect: 'allow', resource_type: 'Account!' }, /resource_type/);
    refused({ effect: 'allow', enabled: 'yes' }, /enabled: must be true or false/);
    refused({ effect: 'allow', not_before: '2030-01-01' }, /not_before: must be an RFC 3339 time/);
    refused({ effect: 'allow', not_before: '2030-01-01T00:00:00' }, /not_before: must be an RFC 3339 time/);
    refused({ effect: 'allow', expires_at: 1 }, /expires_at: must be an RFC 3339 time/);
    refused(
      { effect: 'allow', not_before: '2030-01-02T00:00:00Z', expires_at: '2030-01-01T00:00:00Z' },
      /expires_at: must be later than not_before/,
    );
    refused({ effect: 'allow', id: 3 }, /unknown field id/);
    refused({ effect: 'allow', builtin: true }, /unknown field builtin/);
    refused({ effect: 'allow', service_names: ['a'], serviceNames: ['b'] }, /same field/);
    refused(JSON.parse('{"effect":"allow","__proto__":{"polluted":true}}'), /unknown field __proto__/);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  it('never throws anything but InvalidRequestError on arbitrary JSON', () => {
    const known = ['effect', 'priority', 'roles', 'account_types', 'actions', 'not_before', 'expires_at', 'enabled'];
    const value = fc.jsonValue();
    const nearRule = fc.dictionary(fc.constantFrom(...known), value, { maxKeys: 6 });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), nearRule, fc.anything()), (input) => {
        try {
          const parsed = parsePolicyRule(input);
          assert.ok(parsed.effect === 'allow' || parsed.effect === 'deny');
        } catch (err) {
          assert.ok(err instanceof InvalidRequestError, `threw ${String(err)}`);
          assert.match(err.message, /^policy rule: /);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parsePolicyRulePatch', () => {
  const existing: PolicyRule = {
    ...parsePolicyRule({ effect: 'deny', roles: ['guest'], expires_at: '2031-01-01T00:00:00Z', description: 'x' }),
    id: 9,
    builtin: false,
  };

  it('changes only the fields given', () => {
    const patched = parsePolicyRulePatch(existing, { enabled: false, serviceNames: ['mcr'] });
    assert.equal(patched.enabled, false);
    assert.deepEqual(patched.serviceNames, ['mcr']);
    assert.deepEqual(patched.roles, ['guest']);
    assert.equal(patched.description, 'x');
    assert.deepEqual(patched.expiresAt, existing.expiresAt);
  });

  it('clears a window bound with null', () => {
    assert.equal(parsePolicyRulePatch(existing, { expires_at: null }).expiresAt, undefined);
  });

  it('validates the merged rule', () => {
    assert.throws(() => parsePolicyRulePatch(existing, { not_before: '2032-01-01T00:00:00Z' }), /expires_at: must be later/);
    assert.throws(() => parsePolicyRulePatch(existing, { effect: 'maybe' }), InvalidRequestError);
    assert.throws(() => parsePolicyRulePatch(existing, 'x'), InvalidRequestError);
  });

  it('refuses to change a built-in rule', () => {
    assert.throws(() => parsePolicyRulePatch(builtinRules[0]!, { enabled: false }), /built in and cannot be changed/);
  });
});
