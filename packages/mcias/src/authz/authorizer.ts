import { ForbiddenError } from '@metacircular/mcdsl';
import type { Clock } from '../clock.js';
import { evaluatePolicy, type Action, type PolicyDecision, type PolicyResource, type PolicySubject } from '../policy/index.js';
import type { OperatorRule, PolicyRuleStore } from '../store/index.js';

/**
 * Authorizer is the policy engine wired to the store: it keeps the operator rules in memory
 * (loaded at startup, reloaded after every create/update/delete, so no restart is needed) and
 * asks the pure engine, which adds the built-in rules itself, with the injected clock's time.
 * This is the spec's RequirePolicy: handlers name an action and the resource it touches.
 */
export class Authorizer {
  readonly #store: PolicyRuleStore;
  readonly #now: Clock;
  #rules: readonly OperatorRule[] = [];

  constructor(store: PolicyRuleStore, now: Clock) {
    this.#store = store;
    this.#now = now;
    this.reload();
  }

  /** reload rereads the operator rules from the database. */
  reload(): void {
    this.#rules = Object.freeze(this.#store.all());
  }

  /** rules are the operator rules the engine currently uses. */
  rules(): readonly OperatorRule[] {
    return this.#rules;
  }

  /** decide evaluates one request now. */
  decide(subject: PolicySubject, action: Action, resource?: PolicyResource): PolicyDecision {
    return evaluatePolicy(this.#rules, { subject, action, ...(resource ? { resource } : {}), now: new Date(this.#now()) });
  }

  /** require throws ForbiddenError unless the policy allows the request. */
  require(subject: PolicySubject, action: Action, resource?: PolicyResource): void {
    if (this.decide(subject, action, resource).effect !== 'allow') {
      throw new ForbiddenError(`not allowed to ${action}`, { code: 'ERR_POLICY_DENIED' });
    }
  }
}
