import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@metacircular/mcdsl';
import type { BarrierView } from '../engine/index.js';
import { byEvaluationOrder } from './evaluate-policy.js';
import { parsePolicyRule } from './parse-policy-rule.js';
import type { PolicyRule } from './policy-rule.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * PolicyRuleStore keeps the operator's rules as JSON at `rules/{id}` in a barrier view (the core
 * hands it the view of `sys/policy/`, sealed with the MEK). Input is validated by
 * parsePolicyRule before anything is written, so a bad rule changes nothing. Reads go to the
 * barrier every time: there is no cache to go stale.
 */
export class PolicyRuleStore {
  readonly #view: BarrierView;
  readonly #now: () => Date;

  constructor(view: BarrierView, now: () => Date) {
    this.#view = view;
    this.#now = now;
  }

  /** list returns every rule in evaluation order (priority desc, deny first at equal priority). */
  list(): PolicyRule[] {
    const rules: PolicyRule[] = [];
    for (const path of this.#view.list('rules/')) {
      const rule = this.#view.getJSON<PolicyRule>(path);
      if (rule !== undefined) rules.push(rule);
    }
    return rules.sort(byEvaluationOrder);
  }

  /** get returns one rule or throws NotFoundError. */
  get(id: string): PolicyRule {
    const rule = uuidPattern.test(id) ? this.#view.getJSON<PolicyRule>(pathOf(id)) : undefined;
    if (rule === undefined) throw new NotFoundError(`policy rule ${JSON.stringify(id)} not found; list the rules for their ids`);
    return rule;
  }

  /** create validates `input` (spec §10.2 JSON), gives it a UUID and timestamps, and stores it. */
  create(input: unknown): PolicyRule {
    const parsed = parsePolicyRule(input);
    const at = this.#now().toISOString();
    const rule: PolicyRule = { id: randomUUID(), ...parsed, created_at: at, updated_at: at };
    this.#view.putJSON(pathOf(rule.id), rule);
    return rule;
  }

  /** update replaces a rule's fields with the validated `input`, keeping its id and created_at. */
  update(id: string, input: unknown): PolicyRule {
    return this.#view.transaction(() => {
      const existing = this.get(id);
      const parsed = parsePolicyRule(input);
      const rule: PolicyRule = {
        id: existing.id,
        ...parsed,
        created_at: existing.created_at,
        updated_at: this.#now().toISOString(),
      };
      this.#view.putJSON(pathOf(id), rule);
      return rule;
    });
  }

  /** delete removes a rule; NotFoundError if there is none with that id. */
  delete(id: string): void {
    this.#view.transaction(() => {
      this.get(id);
      this.#view.delete(pathOf(id));
    });
  }
}

function pathOf(id: string): string {
  return `rules/${id}`;
}
