/**
 * The shapes the policy engine works on. A rule's list and string fields are filters: an empty
 * list or an empty string is a wildcard, a populated one must match (see evaluatePolicy).
 */

/** Effect is what a matching rule decides. */
export type Effect = 'allow' | 'deny';

/** AccountType is the kind of principal: a person or a service. */
export type AccountType = 'human' | 'system';

/** accountTypes lists every AccountType, for validation. */
export const accountTypes: readonly AccountType[] = Object.freeze(['human', 'system'] as const);

/** effects lists every Effect, for validation. */
export const effects: readonly Effect[] = Object.freeze(['allow', 'deny'] as const);

/** PolicyRule is one row of the policy: built-in (negative id) or operator-defined. */
export interface PolicyRule {
  /** negative for built-in rules, the store's row id for operator rules */
  id: number;
  description: string;
  effect: Effect;
  /** lower runs first; negative priorities are reserved for built-in rules */
  priority: number;
  /** the principal holds at least one of these roles (empty = any) */
  roles: string[];
  /** the principal's account type is one of these (empty = any) */
  accountTypes: AccountType[];
  /** the principal's UUID ('' = any) */
  subjectUuid: string;
  /** the request's action is one of these (empty = any) */
  actions: string[];
  /** the target resource's type ('' = any) */
  resourceType: string;
  /** when true the target resource's owner must be the principal */
  ownerMatchesSubject: boolean;
  /** the target's service name is one of these (for auth:login: the calling service) */
  serviceNames: string[];
  /** the target carries ALL of these tags (for auth:login: the calling service's tags) */
  requiredTags: string[];
  /** a disabled rule is ignored */
  enabled: boolean;
  /** the rule is ignored before this instant */
  notBefore?: Date;
  /** the rule is ignored from this instant on */
  expiresAt?: Date;
  /** compiled in; cannot be changed or deleted through the API */
  builtin: boolean;
}

/** PolicySubject is the principal asking: who a validated token (or a login) belongs to. */
export interface PolicySubject {
  uuid: string;
  roles: readonly string[];
  accountType: AccountType;
}

/** PolicyResource describes the target of a request; every field is optional. */
export interface PolicyResource {
  type?: string;
  /** the account the target belongs to; needed by the built-in "self" rules */
  ownerUuid?: string;
  /** for auth:login: the service_name the calling service sent */
  serviceName?: string;
  /** for auth:login: the tags the calling service sent */
  tags?: readonly string[];
}

/** PolicyRequest is one question to the engine. */
export interface PolicyRequest {
  subject: PolicySubject;
  action: string;
  resource?: PolicyResource;
  /** evaluation time; passed in so the engine stays pure and tests can freeze the clock */
  now: Date;
}

/** PolicyDecision is the engine's answer and the rule that decided it. */
export interface PolicyDecision {
  effect: Effect;
  /** the rule that decided; undefined means no rule matched (default deny) */
  rule?: PolicyRule;
}
