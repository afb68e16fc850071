/**
 * Every action MCIAS authorizes, as typed constants. Handlers name the action they need from
 * this table, never as a string literal, so a typo is a compile error rather than a silent
 * default deny. evaluatePolicy refuses (default deny) any action not listed here, and the
 * built-in admin wildcard lists these explicitly, so an unknown action is allowed to nobody.
 */
export const Actions = {
  AccountsList: 'accounts:list',
  AccountsCreate: 'accounts:create',
  AccountsRead: 'accounts:read',
  AccountsUpdate: 'accounts:update',
  AccountsDelete: 'accounts:delete',
  RolesRead: 'roles:read',
  RolesWrite: 'roles:write',
  TagsRead: 'tags:read',
  TagsWrite: 'tags:write',
  TokensIssue: 'tokens:issue',
  TokensRevoke: 'tokens:revoke',
  /** public: built-in rule -3 allows it for everyone */
  TokensValidate: 'tokens:validate',
  /** self: built-in rule -4 */
  TokensRenew: 'tokens:renew',
  PGCredsRead: 'pgcreds:read',
  PGCredsWrite: 'pgcreds:write',
  AuditRead: 'audit:read',
  /** self, humans: built-in rule -6 */
  TOTPEnroll: 'totp:enroll',
  /** admin only (through the wildcard): users cannot remove their own TOTP */
  TOTPRemove: 'totp:remove',
  /** evaluated after the credentials check with resource = the calling service's context */
  AuthLogin: 'auth:login',
  /** self: built-in rule -5 */
  AuthLogout: 'auth:logout',
  /** self, humans: built-in rule -7 */
  AuthChangePassword: 'auth:change_password',
  PolicyList: 'policy:list',
  PolicyManage: 'policy:manage',
  /** self, humans: built-in rule -8 */
  WebAuthnEnroll: 'webauthn:enroll',
  /** admin through the wildcard, or an operator rule */
  WebAuthnRemove: 'webauthn:remove',
} as const;

/** Action is one of the action strings in Actions. */
export type Action = (typeof Actions)[keyof typeof Actions];

/** allActions lists every action string, in the order of the Actions table. */
export const allActions: readonly Action[] = Object.freeze(Object.values(Actions));

const actionSet: ReadonlySet<string> = new Set(allActions);

/** isAction reports whether a string is one of the known actions. */
export function isAction(value: string): value is Action {
  return actionSet.has(value);
}
