import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Actions } from './actions.js';
import { builtinRules } from './builtin-rules.js';
import { evaluatePolicy } from './evaluate-policy.js';
import type { AccountType, PolicyRequest } from './policy-rule.js';

const now = new Date('2030-06-15T12:00:00Z');
const me = '11111111-1111-4111-8111-111111111111';
const other = '22222222-2222-4222-8222-222222222222';

function decide(action: string, accountType: AccountType, ownerUuid?: string, roles: string[] = ['user']) {
  const request: PolicyRequest = { subject: { uuid: me, roles, accountType }, action, now };
  if (ownerUuid !== undefined) request.resource = { ownerUuid };
  return evaluatePolicy([], request);
}

describe('builtinRules', () => {
  it('have negative ids and priorities, unique, all allow, all built in, frozen', () => {
    const ids = builtinRules.map((rule) => rule.id);
    assert.deepEqual(ids, [-1, -2, -3, -4, -5, -6, -7, -8]);
    for (const rule of builtinRules) {
      assert.ok(rule.priority < 0 && rule.builtin && rule.enabled && rule.effect === 'allow');
      assert.ok(Object.isFrozen(rule) && Object.isFrozen(rule.actions) && Object.isFrozen(rule.roles));
    }
  });

  it('allow login and token validation to anyone, human or system', () => {
    for (const type of ['human', 'system'] as const) {
      assert.equal(decide(Actions.AuthLogin, type, undefined, []).rule?.id, -2);
      assert.equal(decide(Actions.TokensValidate, type, undefined, ['guest']).rule?.id, -3);
    }
  });

  it('allow renew and logout of the subject own token only', () => {
    for (const type of ['human', 'system'] as const) {
      assert.equal(decide(Actions.TokensRenew, type, me).rule?.id, -4);
      assert.equal(decide(Actions.AuthLogout, type, me).rule?.id, -5);
      assert.equal(decide(Actions.TokensRenew, type, other).effect, 'deny');
      assert.equal(decide(Actions.AuthLogout, type).effect, 'deny', 'the owner must be given');
    }
  });

  it('allow self-service TOTP, password and passkey enrollment to humans only', () => {
    const selfService = [
      [Actions.TOTPEnroll, -6],
      [Actions.AuthChangePassword, -7],
      [Actions.WebAuthnEnroll, -8],
    ] as const;
    for (const [action, id] of selfService) {
      assert.equal(decide(action, 'human', me).rule?.id, id);
      assert.equal(decide(action, 'human', other).effect, 'deny', `${action} for someone else`);
      assert.equal(decide(action, 'system', me).effect, 'deny', `${action} by a system account`);
    }
  });

  it('leave removal of factors and every admin action to admins', () => {
    for (const action of [Actions.TOTPRemove, Actions.WebAuthnRemove, Actions.AccountsList, Actions.PolicyManage]) {
      assert.equal(decide(action, 'human', me).effect, 'deny');
      assert.equal(decide(action, 'human', me, ['admin']).rule?.id, -1);
    }
  });
});
