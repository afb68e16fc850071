import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create, fromJson } from '@bufbuild/protobuf';
import { InvalidRequestError, SealedError } from '@metacircular/mcdsl';
import {
  CreateRuleRequestSchema,
  PolicyRuleSchema,
  PolicyService,
  UpdateRuleRequestSchema,
} from '@metacircular/proto/metacrypt/v1/policy_pb';
import { memoryBarrierView } from '../engine/index.js';
import { PolicyRuleStore } from './policy-rule-store.js';
import { policyRuleMessage } from './policy-rule-message.js';
import { policyAccess, policyService } from './policy-service.js';

type Impl = Record<string, (req: unknown, ctx?: unknown) => unknown>;

describe('policyService', () => {
  const store = new PolicyRuleStore(memoryBarrierView(), () => new Date('2030-01-01T00:00:00Z'));
  const impl = policyService(() => store).impl as unknown as Impl;
  const body = {
    name: 'agent',
    priority: 100,
    effect: 'allow',
    usernames: ['mcp-agent'],
    resources: ['ca/pki/issuer/infra'],
    actions: ['issue'],
    conditions: { allowed_sans: ['*.svc.mcp.example.test'] },
  };

  it('creates from the REST body shape and reads it back the same', () => {
    const rule = fromJson(PolicyRuleSchema, body);
    const created = create(PolicyRuleSchema, impl['createRule']!(create(CreateRuleRequestSchema, { rule })) as never);
    assert.equal(created.name, 'agent');
    assert.deepEqual(created.conditions?.allowedSans, ['*.svc.mcp.example.test']);
    const listed = impl['listRules']!({}) as { rules: unknown[] };
    assert.equal(listed.rules.length, 1);
    // A rule read back can be sent to update as it is (id and timestamps are ignored).
    const updated = create(
      PolicyRuleSchema,
      impl['updateRule']!(create(UpdateRuleRequestSchema, { id: created.id, rule: { ...created, priority: 5 } })) as never,
    );
    assert.equal(updated.priority, 5);
    assert.deepEqual(create(PolicyRuleSchema, policyRuleMessage(store.get(created.id))), updated);
  });

  it('refuses a rule without an effect', () => {
    const rule = fromJson(PolicyRuleSchema, { ...body, effect: '' });
    assert.throws(() => impl['createRule']!(create(CreateRuleRequestSchema, { rule })), /effect: is required/);
    assert.throws(() => impl['createRule']!(create(CreateRuleRequestSchema, {})), InvalidRequestError);
  });

  it('passes the sealed state through', () => {
    const sealed = policyService(() => {
      throw new SealedError();
    }).impl as unknown as Impl;
    assert.throws(() => sealed['listRules']!({}), SealedError);
  });

  it('lists every RPC in the access table as admin + unsealed', () => {
    for (const method of PolicyService.methods) {
      assert.deepEqual(policyAccess[`/metacrypt.v1.PolicyService/${method.name}`], { level: 'admin', unsealed: true });
    }
    assert.equal(Object.keys(policyAccess).length, PolicyService.methods.length);
  });
});
