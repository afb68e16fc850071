import { InvalidRequestError, parseDuration } from '@metacircular/mcdsl';
import { z } from 'zod';
import { accountTypes, effects, isPolicyAction, type PolicyConditions, type PolicyRule } from './policy-rule.js';
import { resourceGlobProblem } from './resource-glob.js';
import { sanGlobProblem } from './san-glob.js';

/** PolicyRuleInput is a rule as an operator writes it: everything but the id and timestamps. */
export type PolicyRuleInput = Omit<PolicyRule, 'id' | 'created_at' | 'updated_at'>;

const maxList = 64;
// Visible ASCII without spaces: MCIAS usernames and role names.
const subjectName = /^[\x21-\x7e]{1,128}$/;

// Each schema says what is wrong and what to write instead; a missing field says so.
const says = (text: string) => ({ error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : text) });

const list = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, says(`must be a list of ${what}s`)).max(maxList, says(`must list at most ${maxList} ${what}s`));

const nameList = (what: string) =>
  list(
    z.string(says(`must be a ${what} string`)).regex(subjectName, says(`must be a ${what} of 1-128 visible ASCII characters`)),
    what,
  );

// checked wraps a "problem" function (undefined = fine) as a zod refinement with its message.
const checked = (problem: (value: string) => string | undefined) =>
  z.string(says('must be a string')).superRefine((value, ctx) => {
    const text = problem(value);
    if (text !== undefined) ctx.addIssue({ code: 'custom', message: text });
  });

const durationProblem = (value: string): string | undefined => {
  if (value === '') return undefined;
  try {
    return parseDuration(value) > 0 ? undefined : 'must be a positive duration such as "2160h"';
  } catch {
    return 'must be a duration such as "720h" or "90m"';
  }
};

const conditionsSchema = z.strictObject(
  {
    allowed_sans: list(checked(sanGlobProblem), 'SAN glob').optional(),
    denied_sans: list(checked(sanGlobProblem), 'SAN glob').optional(),
    max_ttl: checked(durationProblem).optional(),
    allow_wildcard_sans: z.boolean(says('must be true or false')).optional(),
  },
  { error: 'must be a JSON object' },
);

const ruleSchema = z.strictObject(
  {
    name: z.string(says('must be a string')).trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters'),
    priority: z
      .number(says('must be a number'))
      .int(says('must be an integer'))
      .min(-2_147_483_648, 'must fit in 32 bits')
      .max(2_147_483_647, 'must fit in 32 bits')
      .default(0),
    effect: z.enum(effects as ['allow', 'deny'], says('must be "allow" or "deny"')),
    usernames: nameList('username').default([]),
    roles: nameList('role').default([]),
    account_types: list(z.enum(accountTypes as ['human', 'system'], says('must be "human" or "system"')), 'account type').default(
      [],
    ),
    resources: list(checked(resourceGlobProblem), 'resource glob').min(
      1,
      'must list at least one resource glob (use "**" for every resource)',
    ),
    actions: list(
      z.string(says('must be a string')).refine(isPolicyAction, 'is not a known action (see POLICY.md, or "*" for all)'),
      'action',
    ).min(1, 'must list at least one action (use "*" for every action)'),
    conditions: conditionsSchema.nullable().optional(),
  },
  { error: 'must be a JSON object' },
);

const ruleFields = Object.keys(ruleSchema.shape);

/**
 * parsePolicyRule validates a rule from the API (snake_case JSON, spec §10.2) and returns it
 * normalised: lists default to empty, priority to 0, SAN globs lower-cased, empty conditions
 * dropped. Deny rules may only carry `denied_sans` (the other conditions say what an allow grants).
 * Unknown fields, bad globs, unknown actions, bad effects and bad durations are refused with an
 * InvalidRequestError naming every bad field.
 */
export function parsePolicyRule(input: unknown): PolicyRuleInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new InvalidRequestError('policy rule: must be a JSON object');
  const result = ruleSchema.safeParse(input);
  if (!result.success) throw new InvalidRequestError(`policy rule: ${describeIssues(result.error)}`);
  const rule = result.data;
  const conditions = normaliseConditions(rule.conditions ?? undefined);
  if (rule.effect === 'deny' && conditions !== undefined) {
    for (const key of ['allowed_sans', 'max_ttl', 'allow_wildcard_sans'] as const) {
      if (conditions[key] !== undefined)
        throw new InvalidRequestError(
          `policy rule: conditions.${key}: applies to allow rules only; a deny rule may use denied_sans`,
        );
    }
  }
  const parsed: PolicyRuleInput = {
    name: rule.name,
    priority: rule.priority,
    effect: rule.effect,
    usernames: rule.usernames,
    roles: rule.roles,
    account_types: rule.account_types,
    resources: rule.resources,
    actions: rule.actions,
  };
  if (conditions !== undefined) parsed.conditions = conditions;
  return parsed;
}

// normaliseConditions drops empty lists, "" and false, and returns undefined when nothing is left.
function normaliseConditions(c: z.infer<typeof conditionsSchema> | undefined): PolicyConditions | undefined {
  if (c === undefined) return undefined;
  const out: PolicyConditions = {};
  if (c.allowed_sans !== undefined && c.allowed_sans.length > 0) out.allowed_sans = c.allowed_sans.map((g) => g.toLowerCase());
  if (c.denied_sans !== undefined && c.denied_sans.length > 0) out.denied_sans = c.denied_sans.map((g) => g.toLowerCase());
  if (c.max_ttl !== undefined && c.max_ttl !== '') out.max_ttl = c.max_ttl;
  if (c.allow_wildcard_sans === true) out.allow_wildcard_sans = true;
  return Object.keys(out).length > 0 ? out : undefined;
}

// describeIssues renders zod's issues as "field[i]: message; ...". Values are not echoed.
function describeIssues(error: z.ZodError): string {
  const parts = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      const known = issue.path.length > 0 ? Object.keys(conditionsSchema.shape) : ruleFields;
      return `${where}unknown field ${issue.keys.join(', ')}; known fields are ${known.join(', ')}`;
    }
    const path = issue.path
      .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
      .join('');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  return [...new Set(parts)].join('; ');
}
