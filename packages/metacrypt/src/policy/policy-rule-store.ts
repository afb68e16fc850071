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
 * parsePolicyRule before anything is written, so a bad rule changes nothing.
 *
 * list() is on every non-admin engine call, so the decrypted, sorted rules are kept between
 * writes. Every rule write goes through this store, which drops the copy; list() still asks
 * the view for the rule paths first, so a sealed barrier refuses it as before and a rule that
 * appeared or vanished some other way (a restored snapshot) is noticed.
 */
export class PolicyRuleStore {
  readonly #view: BarrierView;
  readonly #now: () => Date;
  #cached: { readonly paths: string; readonly rules: readonly PolicyRule[] } | undefined;

  constructor(view: BarrierView, now: () => Date) {
    this.#view = view;
    this.#now = now;
  }

  /** list returns every rule in evaluation order (priority desc, deny first at equal priority). */
  list(): PolicyRule[] {
    const paths = this.#view.list('rules/');
    const key = paths.join('\n');
    if (this.#cached?.paths !== key) {
      const rules: PolicyRule[] = [];
      for (const path of paths) {
        const rule = this.#view.getJSON<PolicyRule>(path);
        if (rule !== undefined) rules.push(rule);
      }
      this.#cached = { paths: key, rules: rules.sort(byEvaluationOrder) };
    }
    return [...this.#cached.rules];
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
    this.#cached = undefined;
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
      this.#cached = undefined;
      this.#view.putJSON(pathOf(id), rule);
      return rule;
    });
  }

  /** delete removes a rule; NotFoundError if there is none with that id. */
  delete(id: string): void {
    this.#view.transaction(() => {
      this.get(id);
      this.#cached = undefined;
      this.#view.delete(pathOf(id));
    });
  }
}

function pathOf(id: string): string {
  return `rules/${id}`;
}
