import { ForbiddenError, type Caller } from '@metacircular/mcdsl';
import { currentAuditScope } from '../audit/index.js';
import type { AuditDetail, OpContext, PolicyRequest } from '../engine/index.js';
import { evaluatePolicy, type PolicyRule } from '../policy/index.js';

/**
 * CoreOpContext is the OpContext of one engine call. authorize() applies the policy (spec
 * §10.2: admins pass, everyone else needs a deciding allow rule, default deny) and writes the
 * decision into the audit record of the RPC it runs in; note() adds non-secret detail to it.
 * Rules are read when authorize runs, so a rule change applies to the next call.
 */
export class CoreOpContext implements OpContext {
  readonly caller: Caller;
  readonly mount: string;
  readonly #rules: () => readonly PolicyRule[];
  /** detail noted so far (also merged into the current RPC's audit record) */
  readonly detail: Record<string, AuditDetail[string]> = {};

  constructor(caller: Caller, mount: string, rules: () => readonly PolicyRule[]) {
    this.caller = caller;
    this.mount = mount;
    this.#rules = rules;
  }

  authorize(action: string, resource: string, request?: PolicyRequest): void {
    const scope = currentAuditScope();
    if (scope) {
      scope.resource = resource;
      scope.policyAction = action;
    }
    const subject = {
      username: this.caller.username,
      roles: this.caller.roles,
      accountType: this.caller.accountType,
      isAdmin: this.caller.isAdmin,
    };
    // Admins pass without reading the rules (and so without needing them to decrypt).
    const decision = subject.isAdmin
      ? { allowed: true, reason: 'admin' }
      : evaluatePolicy(this.#rules(), subject, action, resource, request);
    if (scope) scope.decision = decision.reason;
    if (!decision.allowed) throw new ForbiddenError(decision.reason, { code: 'ERR_POLICY_DENIED' });
  }

  note(detail: AuditDetail): void {
    Object.assign(this.detail, detail);
    const scope = currentAuditScope();
    if (scope) Object.assign(scope.detail, detail);
  }
}
