import { toJson, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { InvalidRequestError } from '@metacircular/mcdsl';
import { PolicyRuleSchema, type PolicyRule as PolicyRuleMessage } from '@metacircular/proto/metacrypt/v1/policy_pb';
import type { PolicyRule } from './policy-rule.js';

/** policyRuleMessage renders a stored rule for the API (REST JSON and gRPC). */
export function policyRuleMessage(rule: PolicyRule): MessageInitShape<typeof PolicyRuleSchema> {
  const c = rule.conditions;
  return {
    id: rule.id,
    name: rule.name,
    priority: rule.priority,
    effect: rule.effect,
    usernames: [...rule.usernames],
    roles: [...rule.roles],
    accountTypes: [...rule.account_types],
    resources: [...rule.resources],
    actions: [...rule.actions],
    conditions:
      c === undefined
        ? undefined
        : {
            allowedSans: [...(c.allowed_sans ?? [])],
            deniedSans: [...(c.denied_sans ?? [])],
            maxTtl: c.max_ttl ?? '',
            allowWildcardSans: c.allow_wildcard_sans ?? false,
          },
    createdAt: timestampFromDate(new Date(rule.created_at)),
    updatedAt: timestampFromDate(new Date(rule.updated_at)),
  };
}

/**
 * ruleInputOf turns a rule sent over the API into the JSON the store validates. The id and the
 * timestamps are ignored, so a rule read with GET can be sent back with PUT as it is. proto3
 * scalars have no presence: an absent priority is 0, an absent effect is "" (refused).
 */
export function ruleInputOf(message: PolicyRuleMessage | undefined): Record<string, unknown> {
  if (message === undefined) throw new InvalidRequestError('rule is required');
  const json = toJson(PolicyRuleSchema, message, { useProtoFieldName: true }) as Record<string, unknown>;
  delete json['id'];
  delete json['created_at'];
  delete json['updated_at'];
  return json;
}
