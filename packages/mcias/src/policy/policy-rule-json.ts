import type { AccountType, Effect, PolicyRule } from './policy-rule.js';

/**
 * The wire form of a policy rule (REST JSON, the web UI's forms, `mciasctl`): snake_case field
 * names as in spec 1.7, instants as RFC 3339 strings. parsePolicyRule reads it, policyRuleToJSON
 * writes it. On input each field may also be spelled lowerCamelCase (the protobuf JSON name).
 */
export interface PolicyRuleJSON {
  id: number;
  description: string;
  effect: Effect;
  priority: number;
  roles: string[];
  account_types: AccountType[];
  subject_uuid: string;
  actions: string[];
  resource_type: string;
  owner_matches_subject: boolean;
  service_names: string[];
  required_tags: string[];
  enabled: boolean;
  not_before?: string;
  expires_at?: string;
  builtin: boolean;
}

/** policyRuleFields maps each writable wire field (snake_case) to its lowerCamelCase alias. */
export const policyRuleFields: Readonly<Record<string, string>> = Object.freeze({
  description: 'description',
  effect: 'effect',
  priority: 'priority',
  roles: 'roles',
  account_types: 'accountTypes',
  subject_uuid: 'subjectUuid',
  actions: 'actions',
  resource_type: 'resourceType',
  owner_matches_subject: 'ownerMatchesSubject',
  service_names: 'serviceNames',
  required_tags: 'requiredTags',
  enabled: 'enabled',
  not_before: 'notBefore',
  expires_at: 'expiresAt',
});

/** policyRuleToJSON renders a rule (built-in or operator) in its wire form. */
export function policyRuleToJSON(rule: PolicyRule): PolicyRuleJSON {
  const json: PolicyRuleJSON = {
    id: rule.id,
    description: rule.description,
    effect: rule.effect,
    priority: rule.priority,
    roles: [...rule.roles],
    account_types: [...rule.accountTypes],
    subject_uuid: rule.subjectUuid,
    actions: [...rule.actions],
    resource_type: rule.resourceType,
    owner_matches_subject: rule.ownerMatchesSubject,
    service_names: [...rule.serviceNames],
    required_tags: [...rule.requiredTags],
    enabled: rule.enabled,
    builtin: rule.builtin,
  };
  if (rule.notBefore !== undefined) json.not_before = rule.notBefore.toISOString();
  if (rule.expiresAt !== undefined) json.expires_at = rule.expiresAt.toISOString();
  return json;
}
