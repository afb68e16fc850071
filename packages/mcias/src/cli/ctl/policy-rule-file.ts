import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InvalidRequestError } from '@metacircular/mcdsl';
import type { PolicyRule, PolicyRuleInput } from '../../client/index.js';

/**
 * The policy rule file of `mciasctl policy create|update --file`: one JSON object in the REST
 * API's form (snake_case, RFC 3339 instants), i.e. what `mciasctl --json policy get` prints,
 * so a rule can be fetched, edited and sent back. The read-only fields (id, builtin,
 * created_at, updated_at) are ignored; any other unknown field is an error, so a typo such as
 * "required_tag" is caught instead of silently widening the rule.
 */

const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

const ruleFileSchema = z.strictObject({
  id: z.union([z.number(), z.string()]).optional(),
  builtin: z.boolean().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
  description: z.string().optional(),
  effect: z.enum(['allow', 'deny']),
  priority: z.number().int().optional(),
  roles: z.array(z.string()).optional(),
  account_types: z.array(z.enum(['human', 'system'])).optional(),
  subject_uuid: z.string().optional(),
  actions: z.array(z.string()).optional(),
  resource_type: z.string().optional(),
  owner_matches_subject: z.boolean().optional(),
  service_names: z.array(z.string()).optional(),
  required_tags: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
  not_before: instant.optional(),
  expires_at: instant.optional(),
});

/** parsePolicyRuleFile reads and checks a rule file, naming the file and the bad field on error. */
export async function parsePolicyRuleFile(path: string): Promise<PolicyRuleInput> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message;
    throw new InvalidRequestError(`rule file ${path}: ${reason}`, { code: 'ERR_RULE_FILE' });
  }
  const result = ruleFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const what =
      issue?.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (see \`mciasctl policy create --help\`)`
        : `${issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue?.message ?? 'invalid'}`;
    throw new InvalidRequestError(`rule file ${path}: ${what}`, { code: 'ERR_RULE_FILE' });
  }
  const r = result.data;
  return {
    effect: r.effect,
    ...(r.description !== undefined ? { description: r.description } : {}),
    ...(r.priority !== undefined ? { priority: r.priority } : {}),
    ...(r.roles ? { roles: r.roles } : {}),
    ...(r.account_types ? { accountTypes: r.account_types } : {}),
    ...(r.subject_uuid !== undefined ? { subjectUuid: r.subject_uuid } : {}),
    ...(r.actions ? { actions: r.actions } : {}),
    ...(r.resource_type !== undefined ? { resourceType: r.resource_type } : {}),
    ...(r.owner_matches_subject !== undefined ? { ownerMatchesSubject: r.owner_matches_subject } : {}),
    ...(r.service_names ? { serviceNames: r.service_names } : {}),
    ...(r.required_tags ? { requiredTags: r.required_tags } : {}),
    ...(r.enabled !== undefined ? { enabled: r.enabled } : {}),
    ...(r.not_before ? { notBefore: r.not_before } : {}),
    ...(r.expires_at ? { expiresAt: r.expires_at } : {}),
  };
}

/** ruleInputOf is the writable part of an existing rule, the base `policy update` applies flags to. */
export function ruleInputOf(rule: PolicyRule): PolicyRuleInput {
  return {
    effect: rule.effect === 'deny' ? 'deny' : 'allow',
    description: rule.description,
    priority: rule.priority,
    roles: rule.roles,
    accountTypes: rule.accountTypes,
    subjectUuid: rule.subjectUuid,
    actions: rule.actions,
    resourceType: rule.resourceType,
    ownerMatchesSubject: rule.ownerMatchesSubject,
    serviceNames: rule.serviceNames,
    requiredTags: rule.requiredTags,
    enabled: rule.enabled,
    ...(rule.notBefore ? { notBefore: rule.notBefore } : {}),
    ...(rule.expiresAt ? { expiresAt: rule.expiresAt } : {}),
  };
}
