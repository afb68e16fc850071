import { InvalidRequestError } from '@metacircular/mcdsl';
import { z } from 'zod';
import { isAction } from './actions.js';
import { accountTypes, effects, type PolicyRule } from './policy-rule.js';
import { policyRuleFields, policyRuleToJSON } from './policy-rule-json.js';

/** ParsedPolicyRule is an operator rule as validated from input, before the store gives it an id. */
export type ParsedPolicyRule = Omit<PolicyRule, 'id' | 'builtin'>;

/** defaultPriority is given to an operator rule that does not say. */
export const defaultPriority = 100;

const maxListLength = 64;
// Visible ASCII, no spaces: role names, tags like `env:restricted`, service names.
const token = /^[\x21-\x7e]{1,128}$/;
const uuid = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const resourceType = /^[a-z][a-z0-9_:-]{0,63}$/;

// Every schema carries its own lowercase message: zod's defaults ("Invalid input") do not say
// what to do. A missing required field is reported as such.
const says = (text: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : text) });

const tokenList = (what: string) =>
  z
    .array(
      z.string(says(`must be a ${what} string`)).regex(token, says(`must be a ${what} of 1-128 visible ASCII characters`)),
      says(`must be a list of ${what}s`),
    )
    .max(maxListLength, says(`must list at most ${maxListLength} ${what}s`));

const instantMessage = 'must be an RFC 3339 time with a time zone, e.g. 2030-01-02T15:04:05Z, or null';
const instant = z
  .union([z.date(says(instantMessage)), z.iso.datetime({ offset: true, ...says(instantMessage) })], says(instantMessage))
  .nullable()
  .optional()
  .transform((value) => (value === null || value === undefined ? undefined : new Date(value)));

const ruleSchema = z
  .strictObject(
    {
      description: z.string(says('must be a string')).max(512, says('must be at most 512 characters')).default(''),
      effect: z.enum(effects as ['allow', 'deny'], says('must be "allow" or "deny"')),
      priority: z
        .number(says('must be a number'))
        .int(says('must be an integer'))
        .min(0, says('must be >= 0 (negative priorities are reserved for built-in rules)'))
        .max(2_147_483_647, says('must be at most 2147483647'))
        .default(defaultPriority),
      roles: tokenList('role').default([]),
      account_types: z
        .array(
          z.enum(accountTypes as ['human', 'system'], says('must be "human" or "system"')),
          says('must be a list of account types'),
        )
        .max(2, says('must list at most 2 account types'))
        .default([]),
      subject_uuid: z
        .string(says('must be a string'))
        .refine((value) => value === '' || uuid.test(value), says('must be an account UUID or empty'))
        .transform((value) => value.toLowerCase())
        .default(''),
      actions: z
        .array(
          z.string(says('must be an action string')).refine(isAction, says('is not a known action (see Actions)')),
          says('must be a list of actions'),
        )
        .max(maxListLength, says(`must list at most ${maxListLength} actions`))
        .default([]),
      resource_type: z
        .string(says('must be a string'))
        .refine((value) => value === '' || resourceType.test(value), says('must be empty or a lowercase name such as "account"'))
        .default(''),
      owner_matches_subject: z.boolean(says('must be true or false')).default(false),
      service_names: tokenList('service name').default([]),
      required_tags: tokenList('tag').default([]),
      enabled: z.boolean(says('must be true or false')).default(true),
      not_before: instant,
      expires_at: instant,
    },
    { error: 'must be a JSON object' },
  )
  .refine((rule) => rule.not_before === undefined || rule.expires_at === undefined || rule.not_before < rule.expires_at, {
    message: 'must be later than not_before',
    path: ['expires_at'],
  });

/**
 * parsePolicyRule validates an operator's rule (REST body, UI form, CLI flags) and returns it in
 * engine form. Fields are snake_case as in spec 1.7 (lowerCamelCase also accepted); only
 * `effect` is required; lists default to empty (wildcard), priority to 100, enabled to true.
 * Unknown fields, actions, effects and account types are refused. Throws InvalidRequestError
 * naming every bad field, and nothing else.
 */
export function parsePolicyRule(input: unknown): ParsedPolicyRule {
  const { fields, spelling } = canonicalFields(input);
  return validate(fields, spelling);
}

/**
 * parsePolicyRulePatch applies a partial update (PATCH: only the fields present change, null
 * clears not_before / expires_at) to an existing operator rule and validates the result.
 * Built-in rules cannot be changed. Throws InvalidRequestError, and nothing else.
 */
export function parsePolicyRulePatch(existing: PolicyRule, input: unknown): ParsedPolicyRule {
  if (existing.builtin) throw new InvalidRequestError(`policy rule ${existing.id} is built in and cannot be changed`);
  const { fields, spelling } = canonicalFields(input);
  const { id: _id, builtin: _builtin, ...current } = policyRuleToJSON(existing);
  return validate({ ...current, ...fields }, spelling);
}

// canonicalFields rewrites camelCase keys to snake_case, remembering how each was spelled so
// errors name the field the way the operator wrote it. Unknown keys pass through for zod to
// refuse. Object.fromEntries defines own properties, so a "__proto__" key cannot pollute.
function canonicalFields(input: unknown): { fields: Record<string, unknown>; spelling: Map<string, string> } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidRequestError('policy rule: must be a JSON object');
  }
  const spelling = new Map<string, string>();
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(input)) {
    const canonical = canonicalName(key);
    const earlier = spelling.get(canonical);
    if (earlier !== undefined) {
      throw new InvalidRequestError(`policy rule: ${earlier} and ${key} are the same field; give it once`);
    }
    spelling.set(canonical, key);
    entries.push([canonical, value]);
  }
  return { fields: Object.fromEntries(entries), spelling };
}

function canonicalName(key: string): string {
  if (Object.hasOwn(policyRuleFields, key)) return key;
  for (const [snake, camel] of Object.entries(policyRuleFields)) if (camel === key) return snake;
  return key;
}

function validate(fields: Record<string, unknown>, spelling: ReadonlyMap<string, string>): ParsedPolicyRule {
  const result = ruleSchema.safeParse(fields);
  if (!result.success) throw new InvalidRequestError(`policy rule: ${describeIssues(result.error, spelling)}`);
  const rule = result.data;
  const parsed: ParsedPolicyRule = {
    description: rule.description,
    effect: rule.effect,
    priority: rule.priority,
    roles: rule.roles,
    accountTypes: rule.account_types,
    subjectUuid: rule.subject_uuid,
    actions: rule.actions,
    resourceType: rule.resource_type,
    ownerMatchesSubject: rule.owner_matches_subject,
    serviceNames: rule.service_names,
    requiredTags: rule.required_tags,
    enabled: rule.enabled,
  };
  if (rule.not_before !== undefined) parsed.notBefore = rule.not_before;
  if (rule.expires_at !== undefined) parsed.expiresAt = rule.expires_at;
  return parsed;
}

// describeIssues renders zod's issues as "field[i]: message; ...". Values are not echoed.
function describeIssues(error: z.ZodError, spelling: ReadonlyMap<string, string>): string {
  const parts = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => spelling.get(key) ?? key).join(', ');
      return `unknown field ${keys}; known fields are ${Object.keys(policyRuleFields).join(', ')}`;
    }
    const [head, ...rest] = issue.path;
    if (head === undefined) return issue.message;
    const name = spelling.get(String(head)) ?? String(head);
    const path = name + rest.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
    return `${path}: ${issue.message}`;
  });
  return [...new Set(parts)].join('; ');
}
