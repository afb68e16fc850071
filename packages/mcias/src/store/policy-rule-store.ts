import type { SqliteDatabase } from '@metacircular/mcdsl';
import type { AccountType, Effect, PolicyRule } from '../policy/index.js';

/** OperatorRule is a stored (non-built-in) policy rule with its timestamps. */
export interface OperatorRule extends PolicyRule {
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** RuleFields is a rule's content, without id, built-in flag or timestamps. */
export type RuleFields = Omit<PolicyRule, 'id' | 'builtin'>;

interface RuleRow {
  id: number;
  description: string;
  effect: Effect;
  priority: number;
  roles: string;
  account_types: string;
  subject_uuid: string;
  actions: string;
  resource_type: string;
  owner_matches_subject: number;
  service_names: string;
  required_tags: string;
  enabled: number;
  not_before: number | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
}

function strings(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function toRule(row: RuleRow): OperatorRule {
  return {
    id: row.id,
    description: row.description,
    effect: row.effect,
    priority: row.priority,
    roles: strings(row.roles),
    accountTypes: strings(row.account_types) as AccountType[],
    subjectUuid: row.subject_uuid,
    actions: strings(row.actions),
    resourceType: row.resource_type,
    ownerMatchesSubject: row.owner_matches_subject === 1,
    serviceNames: strings(row.service_names),
    requiredTags: strings(row.required_tags),
    enabled: row.enabled === 1,
    ...(row.not_before === null ? {} : { notBefore: new Date(row.not_before) }),
    ...(row.expires_at === null ? {} : { expiresAt: new Date(row.expires_at) }),
    builtin: false,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function params(rule: RuleFields): unknown[] {
  return [
    rule.description,
    rule.effect,
    rule.priority,
    JSON.stringify(rule.roles),
    JSON.stringify(rule.accountTypes),
    rule.subjectUuid,
    JSON.stringify(rule.actions),
    rule.resourceType,
    rule.ownerMatchesSubject ? 1 : 0,
    JSON.stringify(rule.serviceNames),
    JSON.stringify(rule.requiredTags),
    rule.enabled ? 1 : 0,
    rule.notBefore?.getTime() ?? null,
    rule.expiresAt?.getTime() ?? null,
  ];
}

/** PolicyRuleStore is the repository of `policy_rules` (operator rules only; built-ins are code). */
export class PolicyRuleStore {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** all returns every operator rule in id order. */
  all(): OperatorRule[] {
    return this.#db.prepare<[], RuleRow>('SELECT * FROM policy_rules ORDER BY id').all().map(toRule);
  }

  get(id: number): OperatorRule | undefined {
    const row = this.#db.prepare<[number], RuleRow>('SELECT * FROM policy_rules WHERE id = ?').get(id);
    return row ? toRule(row) : undefined;
  }

  insert(rule: RuleFields, now: number): OperatorRule {
    const result = this.#db
      .prepare(
        `INSERT INTO policy_rules (description, effect, priority, roles, account_types, subject_uuid, actions,
         resource_type, owner_matches_subject, service_names, required_tags, enabled, not_before, expires_at,
         created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...params(rule), now, now);
    return this.get(Number(result.lastInsertRowid))!;
  }

  /** update replaces a rule's content; undefined when there is no such rule. */
  update(id: number, rule: RuleFields, now: number): OperatorRule | undefined {
    const result = this.#db
      .prepare(
        `UPDATE policy_rules SET description = ?, effect = ?, priority = ?, roles = ?, account_types = ?,
         subject_uuid = ?, actions = ?, resource_type = ?, owner_matches_subject = ?, service_names = ?,
         required_tags = ?, enabled = ?, not_before = ?, expires_at = ?, updated_at = ? WHERE id = ?`,
      )
      .run(...params(rule), now, id);
    return result.changes === 1 ? this.get(id) : undefined;
  }

  /** delete removes a rule; false when there was none. */
  delete(id: number): boolean {
    return this.#db.prepare('DELETE FROM policy_rules WHERE id = ?').run(id).changes === 1;
  }
}
