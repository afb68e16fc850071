/**
 * The policy rule model of spec §10.2. Rules are stored as JSON in the barrier (core entries,
 * sealed with the MEK) and are exactly this shape on the wire.
 */

/** PolicyEffect is what a deciding rule does. */
export type PolicyEffect = 'allow' | 'deny';

/** PolicyConditions are engine-specific checks a rule makes on the request (all optional). */
export interface PolicyConditions {
  /** DNS SAN globs ('*' = exactly one label); every SAN of the request must match one (allow rules) */
  allowed_sans?: string[];
  /** DNS SAN globs; an allow rule refuses them, a deny rule applies when any SAN matches one */
  denied_sans?: string[];
  /** longest lifetime an allow rule grants (Go duration syntax, e.g. "2160h") */
  max_ttl?: string;
  /** wildcard SANs (`*.x`) are refused unless this is true (allow rules) */
  allow_wildcard_sans?: boolean;
}

/** PolicyRule is one stored rule. Empty subject lists mean "any". */
export interface PolicyRule {
  id: string;
  name: string;
  /** higher runs first; at equal priority deny runs before allow */
  priority: number;
  effect: PolicyEffect;
  usernames: string[];
  roles: string[];
  /** 'human' | 'system' */
  account_types: string[];
  /** resource path globs: '*' = one segment, '**' = any depth */
  resources: string[];
  /** any-of; '*' = every action */
  actions: string[];
  conditions?: PolicyConditions;
  /** RFC 3339 */
  created_at: string;
  updated_at: string;
}

/** PolicySubject is who is asking, as MCIAS says (roles come from MCIAS only). */
export interface PolicySubject {
  readonly username: string;
  readonly roles: readonly string[];
  readonly accountType: string;
  readonly isAdmin: boolean;
}

/** PolicyDecision is evaluatePolicy's answer; reason is safe to show the caller and to audit. */
export interface PolicyDecision {
  readonly allowed: boolean;
  /** the deciding rule, absent for the admin bypass and the default deny */
  readonly ruleId?: string;
  readonly reason: string;
}

/** effects lists the valid rule effects. */
export const effects: readonly PolicyEffect[] = ['allow', 'deny'];

/** accountTypes lists the MCIAS account types a rule can name. */
export const accountTypes: readonly string[] = ['human', 'system'];

/**
 * policyActions classifies every action an engine checks (spec §10.2): reads, writes and
 * crypto operations. A rule may name these or '*'; anything else is refused as a typo.
 */
export const policyActions = {
  read: ['read', 'list'],
  write: ['write', 'delete', 'rotate'],
  crypto: [
    'issue',
    'sign-csr',
    'renew',
    'revoke',
    'acme',
    'sign-user',
    'sign-host',
    'encrypt',
    'decrypt',
    'rewrap',
    'datakey',
    'sign',
    'verify',
    'hmac',
  ],
} as const;

/** PolicyAction is one action name engines pass to authorize(). */
export type PolicyAction = (typeof policyActions)[keyof typeof policyActions][number];

const known: ReadonlySet<string> = new Set(Object.values(policyActions).flat());

/** isPolicyAction reports whether a rule may name `action` ('*' included). */
export function isPolicyAction(action: string): boolean {
  return action === '*' || known.has(action);
}
