import { toJson, type MessageInitShape } from '@bufbuild/protobuf';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { PolicyRuleSchema, type PolicyRule as PolicyRuleMessage } from '@metacircular/proto/mcias/v1/policy_pb';
import { parsePolicyRule, type ParsedPolicyRule, type PolicyRule } from '../policy/index.js';
import { timestampOf } from './timestamps.js';

/** policyRuleMessage renders a built-in or operator rule for the API. */
export function policyRuleMessage(
  rule: PolicyRule & { createdAt?: number; updatedAt?: number },
): MessageInitShape<typeof PolicyRuleSchema> {
  return {
    id: BigInt(rule.id),
    description: rule.description,
    effect: rule.effect,
    priority: rule.priority,
    roles: [...rule.roles],
    accountTypes: [...rule.accountTypes],
    subjectUuid: rule.subjectUuid,
    actions: [...rule.actions],
    resourceType: rule.resourceType,
    ownerMatchesSubject: rule.ownerMatchesSubject,
    serviceNames: [...rule.serviceNames],
    requiredTags: [...rule.requiredTags],
    enabled: rule.enabled,
    notBefore: timestampOf(rule.notBefore?.getTime()),
    expiresAt: timestampOf(rule.expiresAt?.getTime()),
    builtin: rule.builtin,
    createdAt: timestampOf(rule.createdAt),
    updatedAt: timestampOf(rule.updatedAt),
  };
}

/**
 * parseRuleMessage validates a rule sent over the API with the engine's own parser. proto3
 * scalars have no presence, so every field is taken literally: `enabled` absent means false and
 * `priority` absent means 0 (clients such as mciasctl send both explicitly). id, builtin and the
 * timestamps are ignored.
 */
export function parseRuleMessage(message: PolicyRuleMessage | undefined): ParsedPolicyRule {
  if (message === undefined) throw new InvalidRequestError('rule is required');
  const json = toJson(PolicyRuleSchema, message, { useProtoFieldName: true, alwaysEmitImplicit: true }) as Record<
    string,
    unknown
  >;
  delete json['id'];
  delete json['builtin'];
  delete json['created_at'];
  delete json['updated_at'];
  return parsePolicyRule(json);
}
