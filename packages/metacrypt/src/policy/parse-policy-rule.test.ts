import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { parsePolicyRule } from './parse-policy-rule.js';

const valid = {
  name: 'mcp-agent internal certs',
  priority: 100,
  effect: 'allow',
  usernames: ['mcp-agent'],
  account_types: ['system'],
  resources: ['ca/pki/issuer/infra'],
  actions: ['issue', 'renew'],
  conditions: { allowed_sans: ['*.SVC.mcp.example.test'], max_ttl: '2160h', allow_wildcard_sans: false },
};

function refused(input: unknown, field: RegExp): void {
  assert.throws(
    () => parsePolicyRule(input),
    (err: unknown) => err instanceof InvalidRequestError && field.test(err.message),
  );
}

describe('parsePolicyRule', () => {
  it('accepts the spec example and normalises it', () => {
    assert.deepEqual(parsePolicyRule(valid), {
      name: 'mcp-agent internal certs',
      priority: 100,
      effect: 'allow',
      usernames: ['mcp-agent'],
      roles: [],
      account_types: ['system'],
      resources: ['ca/pki/issuer/infra'],
      actions: ['issue', 'renew'],
      conditions: { allowed_sans: ['*.svc.mcp.example.test'], max_ttl: '2160h' },
    });
  });

  it('defaults priority to 0 and drops empty conditions', () => {
    const r = parsePolicyRule({ name: 'x', effect: 'deny', resources: ['**'], actions: ['*'], conditions: { denied_sans: [] } });
    assert.equal(r.priority, 0);
    assert.equal(r.conditions, undefined);
  });

  it('names the bad field', () => {
    refused({ ...valid, colour: 'red' }, /unknown field colour/);
    refused({ ...valid, id: 'x' }, /unknown field id/);
    refused({ ...valid, conditions: { allowed_sanz: [] } }, /conditions: unknown field allowed_sanz/);
    refused({ ...valid, effect: 'maybe' }, /effect: must be "allow" or "deny"/);
    refused({ ...valid, effect: undefined }, /effect: is required/);
    refused({ ...valid, name: '  ' }, /name: must not be empty/);
    refused({ ...valid, priority: 1.5 }, /priority: must be an integer/);
    refused({ ...valid, resources: ['ca//pki'] }, /resources\[0\]: .*empty segment/);
    refused({ ...valid, resources: [] }, /resources: must list at least one/);
    refused({ ...valid, actions: ['isue'] }, /actions\[0\]: is not a known action/);
    refused({ ...valid, actions: [] }, /actions: must list at least one/);
    refused({ ...valid, account_types: ['robot'] }, /account_types\[0\]: must be "human" or "system"/);
    refused({ ...valid, usernames: ['has space'] }, /usernames\[0\]/);
    refused(
      { ...valid, conditions: { allowed_sans: ['web*.example.test'] } },
      /conditions\.allowed_sans\[0\]: .*whole DNS label/,
    );
    refused({ ...valid, conditions: { max_ttl: '90 days' } }, /conditions\.max_ttl: must be a duration/);
    refused({ ...valid, conditions: { max_ttl: '-1h' } }, /conditions\.max_ttl: must be a positive duration/);
    refused({ ...valid, conditions: { allow_wildcard_sans: 'yes' } }, /conditions\.allow_wildcard_sans: must be true or false/);
  });

  it('keeps allow-only conditions off deny rules', () => {
    refused({ ...valid, effect: 'deny' }, /conditions\.allowed_sans: applies to allow rules only/);
    const deny = parsePolicyRule({ ...valid, effect: 'deny', conditions: { denied_sans: ['*.svc.mcp.example.test'] } });
    assert.deepEqual(deny.conditions, { denied_sans: ['*.svc.mcp.example.test'] });
  });

  it('refuses what is not an object', () => {
    for (const input of [null, 'rule', [valid], 7]) refused(input, /must be a JSON object/);
  });
});
